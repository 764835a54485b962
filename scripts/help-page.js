/**
 * The help pages the custom functions' @helpurl links point at: README.md -> help.html and
 * docs/licensing-rules.md -> licensing-rules.html, rendered by marked at build time (see
 * webpack.config.js). Headings get ids such as "calsrequired" so links can name a section.
 */
"use strict";

/* global module, require */

function slug(text) {
  return text
    .replace(/<[^>]+>/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

async function renderHelp(markdown, title) {
  const { Marked } = await import("marked");
  const marked = new Marked({
    renderer: {
      heading({ tokens, depth }) {
        const html = this.parser.parseInline(tokens);
        return `<h${depth} id="${slug(html)}">${html}</h${depth}>\n`;
      },
    },
  });
  const body = marked
    .parse(markdown)
    .replace(/href="docs\/licensing-rules\.md/g, 'href="licensing-rules.html')
    .replace(/href="\.\.\/README\.md/g, 'href="help.html')
    // The source is not hosted with the add-in, and the dev server is not where the page is read:
    // a link to either becomes plain text.
    .replace(/<a href="(?:(?:\.\.\/)?src\/|https:\/\/localhost[:/])[^"]*">([\s\S]*?)<\/a>/g, "$1");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>${escape(title)}</title>
<style>
  body { font: 15px/1.5 "Segoe UI", system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #242424; }
  code, pre { font-family: Consolas, "Courier New", monospace; background: #f5f5f5; }
  pre { padding: .75rem; overflow-x: auto; }
  table { border-collapse: collapse; margin: 1rem 0; }
  th, td { border: 1px solid #d1d1d1; padding: .3rem .5rem; text-align: left; vertical-align: top; }
  img { max-width: 100%; }
  a:focus-visible { outline: 2px solid #0f6cbd; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

module.exports = { renderHelp, slug };
