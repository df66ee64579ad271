// A second (third …) host writing to a shared register: appends audit entries and adds holds, as fast as it can.
// Usage: node appender.mjs URL TAG COUNT  (password in TOEZICHT_REGISTER_PASSWORD). Prints "done TAG".
import { openRegister } from '../../dist/core/register/index.js';

const [url, tag, count] = process.argv.slice(2);
const { register } = openRegister(url, { actor: { user: tag, host: `host-${tag}` } });
try {
  for (let i = 0; i < Number(count); i++) {
    if (i % 5 === 0) {
      await register.addHold({ caseRef: `${tag}-${i}`, reason: 'concurrency test', cameras: ['entree'], from: Date.UTC(2026, 9, 1), to: Date.UTC(2026, 9, 2) });
    } else {
      await register.appendAudit('test.append', { tag, i });
    }
  }
  console.log(`done ${tag}`);
} finally {
  await register.close();
}
