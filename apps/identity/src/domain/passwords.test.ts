import { hashPassword, verifyPassword } from './passwords';

describe('passwords', () => {
  it('when the password is right, then it verifies; when wrong, then not', async () => {
    const stored = await hashPassword('correct horse battery', 1024);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('when the same password is hashed twice, then the salts differ', async () => {
    expect(await hashPassword('same password!', 1024)).not.toBe(await hashPassword('same password!', 1024));
  });

  it('when the stored value is not ours, then it does not verify', async () => {
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
  });
});
