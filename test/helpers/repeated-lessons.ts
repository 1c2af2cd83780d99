/**
 * The data of the tests that interrupt an import (crash, stop, workers killed or paused): 200
 * learners, one course of five items, and 8000 lesson statistics with repeated pairs (sessions
 * 1, 2, …) and a few bad rows: unknown learner, impossible date, score over 100.
 */
export const LEARNERS = 200;
export const ITEMS = ['i1', 'i2', 'i3', 'i4', 'i5'];
export const ROWS = 8000;

export const learnersCsv = `user_loginid\n${Array.from({ length: LEARNERS }, (_, i) => `k${i}`).join('\n')}\n`;
export const catalogCsv = `crsvname;lsnvname;lnk_type\n${ITEMS.map((item) => `K1;${item};L`).join('\n')}\n`;
export const lessonsCsv = (() => {
  const rows = ['user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status'];
  for (let i = 0; i < ROWS; i++) {
    const learner = i % 97 === 13 ? 'nobody' : `k${(i * 7) % LEARNERS}`;
    const date = i % 89 === 5 ? '31/02/2020' : `${(i % 28) + 1}/03/2020`;
    const score = i % 83 === 7 ? '120' : `${i % 100},5`;
    rows.push(`${learner};K1;${ITEMS[i % ITEMS.length]};L;${'CPFIN'[i % 5]};${date};${score};${i % 3600};`);
  }
  return `${rows.join('\r\n')}\r\n`;
})();
