// The signed assignment cookie names the experiment instance its records belong to, so a record of
// a deleted experiment never decides a visitor's variant in a new experiment under the same key.
import { describe, expect, it } from 'vitest'
import { admin, createExperiment, uniqueKey } from './helpers'
import { cookieValue, pageData, setCookies, visit } from './site-support'

describe('the assignment cookie of a deleted experiment', () => {
  it('should not make the visitor sticky in a new experiment created under the same key', async () => {
    const key = uniqueKey('cookie_reborn')
    const uid = '5b0e9c1e-0000-4000-8000-00000000c00c'
    // Nearly everyone gets "a" in the first experiment, nearly everyone "b" in the second.
    await createExperiment({ key, title: 'First', variants: [{ key: 'a', weight: 1000 }, { key: 'b', weight: 1 }] })
    const first = await visit('/', { headers: { cookie: `edgesplit_uid=${uid}` } })
    expect(pageData(await first.text()).assignments[key]).toBe('a')
    const asg = cookieValue(setCookies(first).edgesplit_asg)!
    expect(asg).toContain(`${key}=a@1`)

    expect((await admin(`/v1/experiments/${key}/transition`, { method: 'POST', json: { to: 'stopped' } })).status).toBe(200)
    expect((await admin(`/v1/experiments/${key}`, { method: 'DELETE' })).status).toBe(204)
    await createExperiment({ key, title: 'Second', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1000 }] })
    // A reweight makes sticky records matter, so a record in the cookie would now decide.
    const patched = await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1001 }] } })
    expect(patched.status).toBe(200)

    const again = await visit('/', { headers: { cookie: `edgesplit_uid=${uid}; edgesplit_asg=${asg}` } })
    expect(pageData(await again.text()).assignments[key]).toBe('b')
    const renewed = cookieValue(setCookies(again).edgesplit_asg)!
    expect(renewed).toContain(`${key}=b@1~`)
    expect(renewed).not.toContain(`${key}=a@`)
  })
})
