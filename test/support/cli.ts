import { main } from "../../src/cli";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cals` in-process as a script would (no terminal, empty environment) and collects what it prints. */
export async function runCals(...argv: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), stdoutIsTTY: false, stderrIsTTY: false, env: {} });
  return { code, stdout, stderr };
}
