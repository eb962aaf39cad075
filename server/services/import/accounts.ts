import type { Types } from 'mongoose';
import { UserModel, type Role, type User } from '../../../models/user.js';
import { nameKey } from '../../lib/name-key.js';
import type { ImportReport } from './report.js';
import { isDuplicateKey } from '../../db/upsert.js';

/** No password hash looks like this: the account cannot sign in until its owner sets a password. */
export const NO_PASSWORD = '!imported-without-password';
const MAX_NAME = 30;

/**
 * Accounts for the people of an export: authors become editors, registered commenters become
 * commenters. Keyed by their source id, so a second run finds them. A name taken by someone else
 * gets a number.
 */
export class ImportedAccounts {
  private readonly ids = new Map<string, Promise<Types.ObjectId>>();

  constructor(private readonly report: ImportReport) {}

  account(sourceKey: string, person: { name: string; email: string; role: Role }): Promise<Types.ObjectId> {
    let id = this.ids.get(sourceKey);
    if (!id) {
      id = this.find(sourceKey, person);
      this.ids.set(sourceKey, id);
    }
    return id;
  }

  private async find(
    sourceKey: string,
    person: { name: string; email: string; role: Role },
  ): Promise<Types.ObjectId> {
    const known = await UserModel.findOne({ sourceKey }).select('_id').lean<User>();
    if (known) {
      this.report.count('account', 'existing', person.role);
      return known._id;
    }
    // Never joined to an account already here by its email: addresses are not confirmed here, so
    // anyone could have registered with an author's address to be handed their comments.
    const email = person.email.trim().toLowerCase();
    const base = person.name.trim().replace(/\s+/g, ' ').slice(0, MAX_NAME).trim() || 'Imported reader';
    if (base !== person.name.trim()) {
      this.report.problem(
        `account “${person.name}”: name shortened to “${base}” (at most ${MAX_NAME} characters)`,
      );
    }
    for (let n = 1; n < 100; n += 1) {
      const suffix = n === 1 ? '' : ` ${n}`;
      const username = `${base.slice(0, MAX_NAME - suffix.length).trim()}${suffix}`;
      try {
        const user = await UserModel.create({
          username,
          usernameLower: username.toLowerCase(),
          nameKey: nameKey(username) || `imported${n}`,
          email,
          passwordHash: NO_PASSWORD,
          role: person.role,
          sourceKey,
        });
        if (n > 1) this.report.problem(`account “${base}”: the name was taken, imported as “${username}”`);
        this.report.count('account', 'imported', person.role);
        return user._id;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
    throw new Error(`no free name for the account “${base}”`);
  }
}
