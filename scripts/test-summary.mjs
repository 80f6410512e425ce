// Prints the totals of a vitest JSON report as one line: "N passed, N failed, N skipped".
// Usage: node scripts/test-summary.mjs REPORT.json
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
