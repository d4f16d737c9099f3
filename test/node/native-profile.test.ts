import { describe, expect, it } from 'vitest'
import { breakdownOf } from '../../tools/bench/native-profile.mjs'

// Three samples as `perf script -F comm,ip,sym` prints them: a thread name, then frames leaf first.
const SCRIPT = [
  // A commit inside the statement that opens the next implicit transaction, in a Durable Object call.
  'workerd \n\t 1 pagerWalFrames\n\t 2 sqlite3_step\n\t 3 workerd::SqliteDatabase::Query::nextRow\n\t 4 workerd::ActorSqlite::startImplicitTxnImpl\n\t 5 workerd::api::JsRpcTargetBase::callImpl\n\t 6 kj::_::waitImpl',
  // JIT code of the Worker's handler: no symbol, under a request whose template arguments mention InputGate.
  'workerd \n\t 7 [unknown]\n\t 8 Builtins_JSEntry\n\t 9 workerd::IoContext::runSingle<kj::Maybe<workerd::InputGate::Lock>>\n\t a <workerd_server::listen::HttpConnection>::start_request',
  // GC run by an allocation in V8: its own frames are V8's, yet it counts as GC.
  'V8 DefaultWorke \n\t b v8::internal::Scavenger::ScavengeObject\n\t c v8::internal::Heap::CollectGarbage\n\t d [unknown]',
].join('\n\n')

describe('the native profile breakdown (npm run bench -- --native)', () => {
  it('should give each sample to its side and to the part nearest its leaf, GC first', () => {
    const { total, rows, threads } = breakdownOf(SCRIPT)
    expect(total).toBe(3)
    expect(rows.map((r: { name: string }) => r.name).sort()).toEqual([
      'Durable Object: SQLite commits (WAL frames, fsync, checkpoint)',
      'Worker: JavaScript (JIT code, V8)',
      'Worker: garbage collection',
    ])
    expect(threads).toEqual([
      { name: 'workerd', share: 2 / 3 },
      { name: 'V8', share: 1 / 3 },
    ])
  })
})
