/** The verdict of one health check: passed or not, and a sentence saying what was seen. */
export interface ProbeResult {
  ok: boolean;
  detail: string;
}
