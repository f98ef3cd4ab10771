// What scripts/pack-check.sh compiles and runs in an empty project that installed the packed
// tarball: the public entries only (portcullis, portcullis/accounts, portcullis/testing), under `strict`, `noUncheckedIndexedAccess` and
// `skipLibCheck: false`. It prints one line the script compares.
import Fastify from 'fastify'
import {
  IsAuthenticated,
  installPipeline,
  migrate,
  openDatabase,
  Router,
  TokenScheme,
} from 'portcullis'
import {
  accountsBackend,
  accountsMigrations,
  createUser,
  mintToken,
  profiles,
} from 'portcullis/accounts'
import { testClient } from 'portcullis/testing'

const db = openDatabase(':memory:')
await migrate(db, [accountsMigrations])
const user = await createUser(db, {
  username: 'alice',
  email: 'alice@example.com',
  password: 'Corr3ct-Horse-Battery',
})
const token = await mintToken(db, user.id)
// The accounts app's tables are typed here: `profiles` comes from portcullis/accounts.
const rows = await db.selectFrom('profiles').select(['id', 'city']).execute()

const app = Fastify()
app.decorate('db', db)
app.decorate('users', accountsBackend(db))
await installPipeline(app, {
  defaults: { authentication: [TokenScheme], permissions: [IsAuthenticated] },
})
new Router().register('profiles', profiles).mount(app, { root: '/api/' })
await app.ready()

const anonymous = await app.inject('/api/profiles/')
const signedIn = await app.inject({
  url: '/api/profiles/',
  headers: { authorization: `Token ${token}` },
})
// DRF's APIClient: the user is taken as authenticated, without credentials.
const client = testClient(app)
client.forceAuthenticate(user)
const forced = await client.get('/api/profiles/')
console.log(
  `anonymous ${anonymous.statusCode}, token ${signedIn.statusCode}, forced ${forced.status}, ${rows.length} profile`,
)
await app.close()
await db.destroy()
