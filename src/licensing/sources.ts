/**
 * Where each licensing fact comes from. Rules cite these ids so a reader can check a
 * number against its source; docs/licensing-rules.md lists the same sources.
 */
export const SOURCES = {
  seed: {
    title: 'Bill Boswell, "Brief Lesson on Exchange Licensing", Redmond/MCP Magazine, 2003-09-16',
    note: "The column that started the project; wrong about which version brought the user CAL (see R2).",
  },
  faq: { title: "Microsoft Exchange Server licensing FAQ" },
  vlGuidance: {
    title: "Microsoft volume licensing guidance (summarised at ladylicensing.wordpress.com, 2008-03-11)",
  },
  infoworld2003: { title: 'InfoWorld, 2003-06-27, "Exchange 2003 to offer per-user licensing"' },
  licensingOverview2019: { title: "Exchange Server 2019 licensing overview (Microsoft product licensing)" },
  connectingUp: { title: "connectingup.org: Exchange Server Enterprise CAL" },
  productTerms: { title: "Microsoft Product Terms: Exchange Server Subscription Edition" },
  directions2013: { title: "Directions on Microsoft, 2013: Exchange 2013 external user licensing" },
  dualUse: {
    title: "Microsoft volume licensing blog, 2013-10-10; CAL and ML equivalency licenses page",
  },
  exchangeRecipients: {
    title:
      "Exchange Server docs: recipients (shared, room and equipment mailboxes have disabled accounts; arbitration, discovery and monitoring mailboxes are system mailboxes)",
  },
  win2000: { title: "Windows 2000-era per-seat / per-server licensing terms (per-seat CALs are per device)" },
  lifecycle: { title: "Microsoft lifecycle pages (availability and end of extended support per Exchange version)" },
  calSuites: {
    title: 'Microsoft Product Terms, "CAL and ML Equivalency Licenses" and "CAL Suites"; Microsoft CAL Suite licensing brief',
  },
  suiteBridge: { title: "Microsoft CAL Suite Bridge licensing brief (Nov 2020); SHI licensing blog" },
  exoServiceDescription: { title: "Exchange Online service description (Kiosk, F3, Business plans; Plan 1 as a Standard CAL equivalent)" },
  schnollSE: { title: "Scott Schnoll (Microsoft), Tech Community, on licensing Exchange SE and A3/A5 extended use rights" },
  exchangeBlogSE: { title: 'Exchange team blog, "Upgrading your organization from current versions to Exchange Server SE"' },
  directionsVL: { title: "Directions on Microsoft, volume licensing programs (SA and new version rights)" },
  directions2013Connector: { title: "Directions on Microsoft, 2013-02: External Connector discontinued with Exchange 2013" },
} as const;

export type SourceId = keyof typeof SOURCES;
