// Chart renders run one chart per task, after a paint. A recharts chart settles a render in
// several synchronous passes (its internal store fills in through layout and passive effects);
// rendered together with the dashboard, three charts would add up into one long task, and the
// figures around them would wait for it. Each queued job renders its chart right away (flushSync),
// so one chart's whole update stays inside its own task.

type Job = () => void

const queue: Job[] = []
let pumping = false

function afterPaint(fn: () => void): void {
  if (typeof requestAnimationFrame === 'function')
    requestAnimationFrame(() => void setTimeout(fn, 0))
  else setTimeout(fn, 0)
}

function pump(): void {
  const job = queue.shift()
  if (!job) {
    pumping = false
    return
  }
  job()
  afterPaint(pump)
}

/** Runs `job` in a task of its own, after the charts queued before it; queued at most once. */
export function scheduleChartJob(job: Job): void {
  if (!queue.includes(job)) queue.push(job)
  if (!pumping) {
    pumping = true
    afterPaint(pump)
  }
}

export function cancelChartJob(job: Job): void {
  const i = queue.indexOf(job)
  if (i >= 0) queue.splice(i, 1)
}
