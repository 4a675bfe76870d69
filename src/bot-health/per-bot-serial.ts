/**
 * Runs the work given for one bot one after the other (a promise chain per bot), as it was given: two observations
 * of a bot read and write its row in the order they were made, never both from the same old state.
 */
export class PerBotSerial {
  private readonly chains = new Map<number, Promise<void>>();

  run(botId: number, work: () => Promise<void>): Promise<void> {
    const next = (this.chains.get(botId) ?? Promise.resolve()).then(work);
    // The chain goes on after a failure: the failed work has answered its own caller.
    const settled = next.catch(() => undefined);
    this.chains.set(botId, settled);
    void settled.then(() => {
      if (this.chains.get(botId) === settled) this.chains.delete(botId);
    });
    return next;
  }
}
