import { describe, expect, it } from 'vitest'
import { AllowedHosts, LOCAL_HOSTS } from '../../src/framework/index.ts'

// Django's validate_host and split_domain_port, case by case.
describe('AllowedHosts', () => {
  it('matches a name with any port, in any case, with or without a trailing dot', () => {
    const hosts = new AllowedHosts(['api.example.com'])
    for (const host of [
      'api.example.com',
      'API.Example.COM',
      'api.example.com:8443',
      'api.example.com.',
    ]) {
      expect(hosts.allows(host), host).toBe(true)
    }
    for (const host of ['example.com', 'www.api.example.com', 'api.example.com.evil', '']) {
      expect(hosts.allows(host), host).toBe(false)
    }
  })

  it('matches a domain and its subdomains with a leading dot, and nothing that merely ends alike', () => {
    const hosts = new AllowedHosts(['.example.com'])
    for (const host of ['example.com', 'a.example.com', 'a.b.example.com:80']) {
      expect(hosts.allows(host), host).toBe(true)
    }
    for (const host of ['badexample.com', 'example.com.evil', 'example.org']) {
      expect(hosts.allows(host), host).toBe(false)
    }
  })

  it('allows any well-formed host with `*`, and still refuses what is not a host', () => {
    const hosts = new AllowedHosts(['*'])
    expect(hosts.allows('anything.example:1234')).toBe(true)
    expect(hosts.allows('[2001:db8::1]:80')).toBe(true)
    for (const host of ['evil.example/path', 'user@evil.example', 'a b', 'évil.example', '']) {
      expect(hosts.allows(host), host).toBe(false)
    }
  })

  it('names the local host by default, IPv6 in brackets, never a port in the entry', () => {
    const hosts = new AllowedHosts(LOCAL_HOSTS)
    for (const host of ['localhost', 'localhost:80', '127.0.0.1:3000', '[::1]', '[::1]:8080']) {
      expect(hosts.allows(host), host).toBe(true)
    }
    for (const host of ['127.0.0.2', '::1', 'localhost.evil.example']) {
      expect(hosts.allows(host), host).toBe(false)
    }
    expect(new AllowedHosts(['example.com:8000']).allows('example.com:8000')).toBe(false)
  })

  it('keeps its verdicts bounded when a client cycles through hosts', () => {
    const hosts = new AllowedHosts(['.example.com'])
    for (let i = 0; i < 1000; i++) expect(hosts.allows(`h${i}.example.com`)).toBe(true)
    expect(hosts.allows('h1.example.com')).toBe(true)
    expect(hosts.allows('evil.example')).toBe(false)
  })
})
