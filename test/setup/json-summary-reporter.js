/**
 * Writes Jest's aggregated result (the same object `--json` prints) to reports/jest-results.json,
 * so CI reads the counts from Jest itself rather than from its console summary.
 */
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class JsonSummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const dir = join(this.rootDir, 'reports');
    mkdirSync(dir, { recursive: true });
    const summary = {
      // Jest sets results.success only after the reporters ran; compute it the way Jest does.
      success: results.numFailedTests === 0 && results.numRuntimeErrorTestSuites === 0 && !results.snapshot.failure,
      numTotalTests: results.numTotalTests,
      numPassedTests: results.numPassedTests,
      numFailedTests: results.numFailedTests,
      numPendingTests: results.numPendingTests,
      numTodoTests: results.numTodoTests,
      numTotalTestSuites: results.numTotalTestSuites,
      numFailedTestSuites: results.numFailedTestSuites,
      numRuntimeErrorTestSuites: results.numRuntimeErrorTestSuites,
      testResults: results.testResults.map((suite) => ({
        file: suite.testFilePath,
        failureMessage: suite.failureMessage,
        tests: suite.testResults.map((test) => ({ name: test.fullName, status: test.status, durationMs: test.duration })),
      })),
    };
    writeFileSync(join(dir, 'jest-results.json'), JSON.stringify(summary, null, 2));
  }
}

module.exports = JsonSummaryReporter;
