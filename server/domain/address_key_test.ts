import assert from "node:assert/strict";
import { addressKey } from "./address_key.ts";

Deno.test("[rate] IPv6 addresses count by their /64, IPv4 by the whole address", () => {
  assert.equal(addressKey("192.0.2.7"), "192.0.2.7");
  assert.equal(addressKey("2001:db8:1:2::1"), "2001:db8:1:2::/64");
  assert.equal(addressKey("2001:0db8:0001:0002:ffff:eeee:dddd:cccc"), "2001:db8:1:2::/64");
  assert.equal(addressKey("2001:db8:1:2:aaaa::9"), addressKey("2001:db8:1:2::1"));
  assert.notEqual(addressKey("2001:db8:1:3::1"), addressKey("2001:db8:1:2::1"));
  assert.equal(addressKey("[2001:db8::1]"), "2001:db8:0:0::/64");
  assert.equal(addressKey("fe80::1%eth0"), "fe80:0:0:0::/64");
  assert.equal(addressKey("::1"), "0:0:0:0::/64");
  assert.equal(addressKey("::ffff:192.0.2.7"), "192.0.2.7");
  assert.equal(addressKey("::ffff:c000:207"), "192.0.2.7");
  assert.equal(addressKey("unknown"), "unknown");
  assert.equal(addressKey("1:2:3"), "1:2:3", "not an address: kept as it is");
});
