import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricSources {
  /** Import jobs by status, from the database (the truth, whichever process ran them). */
  jobsByStatus(): Promise<Record<string, number>>;
  /** Jobs waiting for a worker and running, as the queue holds them. */
  queueCounts(): Promise<{ waiting: number; active: number }>;
}

/**
 * What `GET /metrics` shows Prometheus, one registry a service (tests run several in one
 * process). Records a second: `rate(lms_import_records_total[1m])`.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly records: Counter;
  readonly batchCommit: Histogram;
  readonly stalled: Counter;

  constructor(sources: MetricSources, role: string) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ role });
    collectDefaultMetrics({ register: this.registry, prefix: 'lms_import_process_' });
    this.records = new Counter({ name: 'lms_import_records_total', help: 'Records processed (committed) by the jobs of this process', registers });
    this.batchCommit = new Histogram({
      name: 'lms_import_batch_commit_seconds',
      help: 'Time from a batch handed to the database to its commit',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.stalled = new Counter({ name: 'lms_import_stalled_jobs_total', help: 'Jobs this process took over after their worker stopped renewing its hold', registers });
    new Gauge({
      name: 'lms_import_jobs',
      help: 'Import jobs by status (database)',
      labelNames: ['status'],
      registers,
      async collect() {
        this.reset();
        for (const [status, count] of Object.entries(await sources.jobsByStatus())) this.set({ status }, count);
      },
    });
    new Gauge({
      name: 'lms_import_queue_jobs',
      help: 'Jobs in the queue: waiting for a worker, or active',
      labelNames: ['state'],
      registers,
      async collect() {
        const { waiting, active } = await sources.queueCounts();
        this.set({ state: 'waiting' }, waiting);
        this.set({ state: 'active' }, active);
      },
    });
  }

  /** The text exposition format, and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
