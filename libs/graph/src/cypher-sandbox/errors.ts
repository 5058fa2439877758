/** Why the sandbox refused a query; `code` is the API error code (apps/api/src/graphql/errors.ts maps it). */
export class CypherSandboxError extends Error {
  constructor(
    readonly code: 'FORBIDDEN' | 'BAD_USER_INPUT' | 'TOO_COMPLEX',
    readonly rule: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CypherSandboxError';
  }
}
