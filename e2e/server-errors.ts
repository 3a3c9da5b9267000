import { takeUnexpectedServerErrors } from '@emporium/devkit/client';

/**
 * Every e2e test fails when the API answered it a server error it did not
 * expect: a 500 on checkout, refund or ship is a bug, never a pass after a
 * quiet retry. (Jest's setupFilesAfterEnv for the e2e project.)
 */
afterEach(() => {
  const seen = takeUnexpectedServerErrors();
  if (seen.length) throw new Error(`the API answered ${seen.length} unexpected server error(s):\n${seen.join('\n')}`);
});
