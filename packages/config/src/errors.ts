/** One problem found in the environment, naming the variable. */
export interface ConfigIssue {
  variable: string;
  problem: string;
}

/** Thrown when the environment is missing or has an invalid variable. */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(`invalid configuration:\n${issues.map((i) => `  - ${i.variable}: ${i.problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
