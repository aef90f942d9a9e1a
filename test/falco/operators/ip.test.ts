import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inNetwork, ipMatcher, networkMatcher, parseIp, parseIpv4, parseNetwork, type Network } from '../../../src/falco/operators/ip.js';

describe('IP parsing', () => {
  test('IPv4', () => {
    assert.equal(parseIpv4('10.0.0.1'), 0x0a000001);
    assert.equal(parseIpv4('255.255.255.255'), 0xffffffff);
    for (const bad of ['10.0.0', '10.0.0.256', '1..2.3', 'a.b.c.d', '1.2.3.4.5', '', '1.2.3.']) assert.equal(parseIpv4(bad), undefined, bad);
  });

  test('IPv6, with IPv4-mapped addresses folded to IPv4', () => {
    assert.equal(parseIp('::1'), 1n);
    assert.equal(parseIp('fe80::1'), (0xfe80n << 112n) | 1n);
    assert.equal(parseIp('::ffff:10.0.0.1'), 0x0a000001);
    assert.equal(parseIp('2001:db8::'), parseIp('2001:0db8:0:0:0:0:0:0'));
    assert.equal(parseIp('not-an-ip'), undefined);
  });

  test('networks', () => {
    const net = parseNetwork('10.1.2.3/8') as Network;
    assert.equal(net.base, 0x0a000000);
    assert.equal(inNetwork(parseIp('10.200.0.1')!, net), true);
    assert.equal(inNetwork(parseIp('11.0.0.1')!, net), false);
    assert.equal(inNetwork(parseIp('1.2.3.4')!, parseNetwork('0.0.0.0/0') as Network), true);
    assert.equal(inNetwork(parseIp('fd00::5')!, parseNetwork('fd00::/8') as Network), true);
    assert.equal(inNetwork(parseIp('10.0.0.1')!, parseNetwork('fd00::/8') as Network), false);
    assert.match(parseNetwork('10.0.0.1') as string, /expected address\/length/);
    assert.equal(typeof parseNetwork('10.0.0.1/33'), 'string');
    assert.equal(typeof parseNetwork('10.0.0.1/x'), 'string');
  });
});

describe('IP operators', () => {
  test('address equality and sets', () => {
    const keys = [parseIp('10.0.0.1')!, parseIp('::1')!];
    assert.equal(ipMatcher('=', keys)!('10.0.0.1'), true);
    assert.equal(ipMatcher('in', keys)!('::1'), true);
    assert.equal(ipMatcher('=', keys)!('10.0.0.2'), false);
    assert.equal(ipMatcher('!=', keys)!('10.0.0.2'), true);
    assert.equal(ipMatcher('!=', keys)!('10.0.0.1'), false);
    assert.equal(ipMatcher('=', keys)!('garbage'), false);
  });

  test('network membership', () => {
    const nets = [parseNetwork('127.0.0.0/8') as Network, parseNetwork('192.168.0.0/16') as Network];
    assert.equal(networkMatcher('=', nets)!('127.0.0.1'), true);
    assert.equal(networkMatcher('in', nets)!('192.168.3.4'), true);
    assert.equal(networkMatcher('=', nets)!('8.8.8.8'), false);
    assert.equal(networkMatcher('!=', nets)!('8.8.8.8'), true);
  });
});
