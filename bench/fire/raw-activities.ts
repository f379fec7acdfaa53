/** The baseline's one activity: POST the fire's key and nominal instant (see `raw-workflows.ts`). */

/** What the activity sends. */
export interface RawFire {
  readonly url: string;
  readonly key: string;
  readonly nominal: string;
}

/** The activities of the baseline worker. */
export const rawActivities = {
  /** POSTs `{ nominal }` with the key as Idempotency-Key. */
  async postFire(fire: RawFire): Promise<void> {
    const response = await fetch(fire.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': fire.key },
      body: JSON.stringify({ nominal: fire.nominal }),
    });
    if (!response.ok) throw new Error(`receiver answered ${response.status}`);
  },
};

/** Their type, for `proxyActivities`. */
export type RawActivities = typeof rawActivities;
