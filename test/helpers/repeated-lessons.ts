/**
 * The data of the tests that interrupt or split an import (crash, stop, workers killed or paused): 200
 * learners, one course of five items, and 8000 lesson statistics with repeated pairs (sessions
 * 1, 2, …) and a few bad rows: unknown learner, impossible date, score over 100.
 */
export const LEARNERS = 200;
export const ITEMS = ['i1', 'i2', 'i3', 'i4', 'i5'];
export const ROWS = 8000;

export const learnersCsvOf = (learners: number) => `user_loginid\n${Array.from({ length: learners }, (_, i) => `k${i}`).join('\n')}\n`;
export const learnersCsv = learnersCsvOf(LEARNERS);
export const catalogCsv = `crsvname;lsnvname;lnk_type\n${ITEMS.map((item) => `K1;${item};L`).join('\n')}\n`;

/** `rows` lesson statistics of `learners` learners over the five items, with repeated pairs and a few bad rows. */
export function lessonsCsvOf(rows: number, learners: number): string {
  const lines = ['user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status'];
  for (let i = 0; i < rows; i++) {
    const learner = i % 97 === 13 ? 'nobody' : `k${(i * 7) % learners}`;
    const date = i % 89 === 5 ? '31/02/2020' : `${(i % 28) + 1}/03/2020`;
    const score = i % 83 === 7 ? '120' : `${i % 100},5`;
    lines.push(`${learner};K1;${ITEMS[i % ITEMS.length]};L;${'CPFIN'[i % 5]};${date};${score};${i % 3600};`);
  }
  return `${lines.join('\r\n')}\r\n`;
}
export const lessonsCsv = lessonsCsvOf(ROWS, LEARNERS);
