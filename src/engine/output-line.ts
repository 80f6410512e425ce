/** ANSI escape sequences (colors, cursor moves) and other control characters but tab. */
const CONTROL_SEQUENCES = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[@-Z\\-_]|[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * Cleans one line of build output: keeps what a terminal would show after the last carriage
 * return, and drops escape sequences, such as the colors that Docker's classic builder puts
 * around a step's stderr.
 */
export function cleanOutputLine(line: string): string {
  const afterReturn = line.slice(line.lastIndexOf('\r') + 1);
  return afterReturn.replace(CONTROL_SEQUENCES, '');
}
