/**
 * A formatter of epoch milliseconds as `toISOString()` does (years 0000–9999): the part up to the
 * second is formatted once a second and the milliseconds appended, and the last answer is reused
 * within its millisecond — a log line is written per request (the router's access log, every service's request line).
 */
export function isoTimeOf(): (epochMs: number) => string {
  let ms = Number.NaN;
  let iso = '';
  let second = Number.NaN;
  let secondPrefix = '';
  return (epochMs) => {
    if (epochMs === ms) return iso;
    ms = epochMs;
    const s = Math.floor(epochMs / 1000);
    if (s !== second) {
      second = s;
      secondPrefix = new Date(s * 1000).toISOString().slice(0, 20);
    }
    const milli = epochMs - s * 1000;
    iso = `${secondPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
    return iso;
  };
}
