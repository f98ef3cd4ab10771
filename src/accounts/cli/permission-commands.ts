import type { Database } from '../../framework/db/database.ts'
import { CODENAME, OBJECT_TYPE } from '../../framework/permissions/codenames.ts'
import { addMember, grant, type Holder, removeMember, revoke } from '../permissions/grants.ts'
import { grantOnObject, revokeOnObject } from '../permissions/object-grants.ts'
import { CommandError } from './commands.ts'

/** `USER` or `@GROUP` as the commands name them; unknown ones are refused, never created. */
export async function findHolder(db: Database, name: string): Promise<Holder> {
  if (name.startsWith('@')) {
    const group = await db
      .selectFrom('auth_groups')
      .select('id')
      .where('name', '=', name.slice(1))
      .executeTakeFirst()
    if (!group) throw new CommandError(`group '${name.slice(1)}' does not exist`)
    return { kind: 'group', id: group.id }
  }
  const user = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', name)
    .executeTakeFirst()
  if (!user) throw new CommandError(`user '${name}' does not exist`)
  return { kind: 'user', id: user.id }
}

function checkCodenames(codenames: string[]) {
  const bad = codenames.filter((c) => !CODENAME.test(c))
  if (bad.length) {
    throw new CommandError(
      `not a permission codename (app.action_model, e.g. bucketlists.add_bucketlist): ${bad.join(', ')}`,
    )
  }
}

// `--on app.model:ID` names one object (django-guardian's assign_perm); the id may hold colons.
function parseObject(on: string) {
  const colon = on.indexOf(':')
  const objectType = on.slice(0, colon)
  const objectId = on.slice(colon + 1)
  if (colon === -1 || !OBJECT_TYPE.test(objectType) || !objectId) {
    throw new CommandError(`name the object as app.model:ID, e.g. bucketlists.bucketlist:7: ${on}`)
  }
  return { objectType, objectId }
}

/** `grant USER|@GROUP PERM… [--on app.model:ID]`: model-wide, or on one object (guardian). */
export async function grantCommand(db: Database, name: string, codenames: string[], on?: string) {
  checkCodenames(codenames)
  const object = on === undefined ? null : parseObject(on)
  const holder = await findHolder(db, name)
  if (object === null) await grant(db, holder, codenames)
  else for (const codename of codenames) await grantOnObject(db, holder, { codename, ...object })
  return `Granted ${codenames.join(', ')} to ${name}${on ? ` on ${on}` : ''}.`
}

/** `revoke USER|@GROUP PERM… [--on app.model:ID]`. */
export async function revokeCommand(db: Database, name: string, codenames: string[], on?: string) {
  checkCodenames(codenames)
  const object = on === undefined ? null : parseObject(on)
  const holder = await findHolder(db, name)
  if (object === null) await revoke(db, holder, codenames)
  else for (const codename of codenames) await revokeOnObject(db, holder, { codename, ...object })
  return `Revoked ${codenames.join(', ')} from ${name}${on ? ` on ${on}` : ''}.`
}

/** `group-create NAME`: a new, empty group. */
export async function groupCreateCommand(db: Database, name: string) {
  const group = name.replace(/^@/, '')
  if (!group || group.length > 150) throw new CommandError('a group name has 1 to 150 characters')
  const taken = await db
    .selectFrom('auth_groups')
    .select('id')
    .where('name', '=', group)
    .executeTakeFirst()
  if (taken) throw new CommandError(`group '${group}' already exists`)
  await db.insertInto('auth_groups').values({ name: group }).execute()
  return `Group '${group}' created.`
}

async function memberPair(db: Database, groupName: string, username: string) {
  if (!groupName.startsWith('@')) throw new CommandError(`name the group as @GROUP: @${groupName}`)
  const group = await findHolder(db, groupName)
  const user = await findHolder(db, username)
  if (group.kind !== 'group' || user.kind !== 'user')
    throw new CommandError('name a group then a user: @GROUP USER')
  return { groupId: group.id, userId: user.id }
}

/** `group-add-user @GROUP USER`. */
export async function groupAddUserCommand(db: Database, groupName: string, username: string) {
  const { groupId, userId } = await memberPair(db, groupName, username)
  await addMember(db, groupId, userId)
  return `Added ${username} to ${groupName}.`
}

/** `group-remove-user @GROUP USER`. */
export async function groupRemoveUserCommand(db: Database, groupName: string, username: string) {
  const { groupId, userId } = await memberPair(db, groupName, username)
  if (!(await removeMember(db, groupId, userId))) {
    throw new CommandError(`${username} is not in ${groupName}`)
  }
  return `Removed ${username} from ${groupName}.`
}
