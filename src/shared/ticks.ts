// Time-axis ticks both the dashboard and the reports draw with.

/**
 * The first of every 1, 2, 3, 6, 12… months (as few steps as keep the ticks at `maxTicks` or
 * fewer) inside [min, max], at midnight of the clock `offsetMs` gives (ms east of UTC at an
 * instant: fixed for the log's own zone, varying with daylight saving for the viewer's). Month
 * lengths vary, so a fixed step would drift off the 1st. Empty when no 1st falls inside.
 */
export function monthStarts(
  min: number,
  max: number,
  offsetMs: (t: number) => number,
  maxTicks: number,
): number[] {
  // Midnight of the 1st of month index m (year × 12 + month), its offset taken at that instant.
  const startOf = (m: number): number => {
    const wall = Date.UTC(Math.floor(m / 12), m % 12, 1)
    return wall - offsetMs(wall - offsetMs(wall))
  }
  const first = new Date(min + offsetMs(min))
  const last = new Date(max + offsetMs(max))
  let m = first.getUTCFullYear() * 12 + first.getUTCMonth()
  const months = last.getUTCFullYear() * 12 + last.getUTCMonth() - m
  const step = [1, 2, 3, 6, 12, 24, 60, 120, 240].find((k) => months / k <= maxTicks) ?? 600
  // From the first month boundary at or after min that is a multiple of the step.
  if (startOf(m) < min) m++
  m = Math.ceil(m / step) * step
  const ticks: number[] = []
  for (let t = startOf(m); t <= max && ticks.length < 50; t = startOf((m += step))) ticks.push(t)
  return ticks
}
