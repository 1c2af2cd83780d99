import readline from 'node:readline';
import type { Messages } from './messages';
import type { Progress } from './queries';

export interface ProgressReporter {
  update(job: Progress): void;
  /** Leaves the terminal's line as it is and goes to the next one. */
  end(): void;
}

const BAR_WIDTH = 30;

/**
 * On a terminal, one line redrawn in place (a bar, the percentage, the counters); otherwise
 * plain lines a log can keep: at each change of status and each new tenth of the file.
 */
export function progressReporter(stream: NodeJS.WriteStream, t: Messages): ProgressReporter {
  return stream.isTTY ? barReporter(stream, t) : lineReporter(stream, t);
}

const percentOf = (job: Progress) => Math.floor(Math.min(1, Math.max(0, job.progress)) * 100);

function barReporter(stream: NodeJS.WriteStream, t: Messages): ProgressReporter {
  let drawn = false;
  return {
    update(job) {
      const percent = percentOf(job);
      const filled = Math.round((percent / 100) * BAR_WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
      const text = `${job.id} ${job.status.padEnd(9)} ${bar} ${String(percent).padStart(3)}%  ${t.bar(job.counts.processed, job.counts.rejected)}`;
      readline.cursorTo(stream, 0);
      // A line longer than the terminal would wrap, and the next redraw would not cover it.
      stream.write(text.slice(0, Math.max(20, (stream.columns || 80) - 1)));
      readline.clearLine(stream, 1);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

function lineReporter(stream: NodeJS.WriteStream, t: Messages): ProgressReporter {
  let status = '';
  let tenth = -1;
  return {
    update(job) {
      const percent = percentOf(job);
      if (job.status === status && Math.floor(percent / 10) <= tenth) return;
      status = job.status;
      tenth = Math.floor(percent / 10);
      stream.write(`${t.progress(job.id, job.status, percent, job.counts.processed, job.counts.rejected)}\n`);
    },
    end() {},
  };
}
