/**
 * No answer came from an account's API. `mayHaveActed` tells the caller whether to look before trying
 * again: a refused connection never reached the account, a timeout or a reset may have reached it
 * after all, and the account may have started or cancelled the redrive.
 */
export class AccountApiUnreachable extends Error {
  constructor(
    message: string,
    readonly mayHaveActed: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AccountApiUnreachable';
  }
}
