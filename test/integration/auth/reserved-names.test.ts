import { Types } from 'mongoose';
import { UserModel } from '../../../models/user';
import { nameKey } from '../../../server/lib/name-key';
import { ReservedNames } from '../../../server/services/accounts/reserved-names';
import { buildPost } from '../../fixtures/factories';
import { buildTestApp } from '../../setup/app';

/** An account written straight to the database, as another process would. */
function otherProcessUser(username: string) {
  return UserModel.create({
    username,
    usernameLower: username.toLowerCase(),
    nameKey: nameKey(username),
    email: '',
    passwordHash: 'x',
    role: 'commenter',
  });
}

describe('ReservedNames: the names guests may not use, held in memory', () => {
  const { services } = buildTestApp();

  it('answers from the database until it has loaded, then from memory, with what was there', async () => {
    await otherProcessUser('Preexisting Pat');
    await buildPost({ authorName: 'Byline Bea' });
    const clock = 1_000_000;
    const names = new ReservedNames(() => clock);
    // The first question starts the load and is answered by the database meanwhile.
    expect(await names.has(nameKey('Preexisting Pat'))).toBe(true);
    await names.warm();
    expect(await names.has(nameKey('preexisting-pat'))).toBe(true);
    expect(await names.has(nameKey('BYLINE BEA'))).toBe(true);
    expect(await names.has(nameKey('Someone Else'))).toBe(false);
  });

  it("sees this process's new accounts and bylines at once, another process's within two seconds", async () => {
    let clock = 2_000_000;
    const names = new ReservedNames(() => clock);
    await names.warm();

    // This process: the account service and the post service tell it.
    const user = await services.users.register({
      username: 'Fresh Account',
      password: 'a-long-enough-password',
      email: '',
    });
    expect(user.username).toBe('Fresh Account');
    expect(await services.names.has(nameKey('fresh account'))).toBe(true);
    await services.names.warm();
    services.events.emit('post.saved', {
      postId: new Types.ObjectId(),
      slug: 's',
      commentStatus: 'open',
      authorNameKey: nameKey('New Byline'),
    });
    expect(await services.names.has(nameKey('New Byline'))).toBe(true);

    // Another process: not yet known, then read by the next refresh once two seconds have passed.
    await otherProcessUser('Elsewhere Eli');
    await buildPost({ authorName: 'Elsewhere Byline' });
    expect(await names.has(nameKey('Elsewhere Eli'))).toBe(false);
    clock += 2000;
    expect(await names.has(nameKey('Elsewhere Eli'))).toBe(false); // answered while it reads
    await names.warm();
    expect(await names.has(nameKey('Elsewhere Eli'))).toBe(true);
    expect(await names.has(nameKey('Elsewhere Byline'))).toBe(true);
  });

  it('past its size limit, lets go of the names and asks the database every time', async () => {
    await otherProcessUser('Crowd One');
    await otherProcessUser('Crowd Two');
    const names = new ReservedNames(Date.now, 1);
    await names.warm();
    expect((names as unknown as { names: Set<string> }).names.size).toBe(0);
    expect(await names.has(nameKey('Crowd Two'))).toBe(true);
    expect(await names.has(nameKey('Crowd Three'))).toBe(false);
  });
});
