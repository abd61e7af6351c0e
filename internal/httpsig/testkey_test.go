package httpsig

import (
	"crypto/rsa"
	"sync"
	"testing"
)

// testKeyPEM is a throw-away 2048-bit key generated for these tests with
// `openssl genrsa -traditional 2048`. It protects nothing.
const testKeyPEM = `
-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEAoQyeH3Euxgw0QHkW6GsTa78l/qWWj67J+8GzgEDeTzO8iVcv
cRh5aN0IxX7rdMyw98OH/DxxBgKzr1wE4cNUSxd/ou+WhNb3kOkYI9nwkPg54SdH
oDHQIxm222vyRi7WEdSMYy0vDP1hVJlk3nNV7tiZcp+/5ATs/xMEuQ37q69pTnP6
NICpJ2dG0lVAX85IllNX+a8OfAwzHu9xXXB9slf5+FiQNruQiU2CpAdjkRu6ztxT
fOa2XuhowCsq41TQxAb3xCJH1PPHQYMsMg8hBuhNP5I3jFZkxvdkhN1aRjPhjfgF
jk6Nu7iNeGQpIJ26HHWdJMaaL2etu8YvSVrHNwIDAQABAoIBAAICmE6oKP9L07Mi
T8ji3UExB5ZgFrsAYYEE7+qf5KZ0bNwB/JOazJkkeSGN7f5tN6BADoh1cKu0iO2d
Zmoy9/BgALXV67kIvdpPLn/0Dm6gyogm51v2gzSM851VgZaiqwVZ886hF78/wmE9
8OZd5iqvBWtK1yhPb23XnO16YTPJXaHPw+trlyFOg1nV4r4IWqqWLzeZyzNzq+nz
rBij5y1+2NSz25kg3Bg/toWqhLz6MKVDVBPsBcC/EfOlQUevBrAkR/JS9HYjBBAk
WmYqyomXt0RBzmvB73/XfCfJnLW94qMOBk7/+be/2aIpD17zBQYTZoidED8nxHao
rXqLaIECgYEA1bl2555Fr7VrztA2aUa8fxikLkEl73Gu24ENLGsYhi1FFHgX1AEC
aZGmotL8g1sdkdh1+S5TOXPB1Q/+jPVN3//t5aM3H8hzmL3vfyWpy2kGwxU0lHHm
jCjQRZLJkK5JMGykg/4uYYxdiQjwBUK1MMtvRysk7VINB50mfiwKWWECgYEAwOfM
VdCYEFLMUbfgEVVwtSrMBDupawM02y1ZLbCfYNyxxvjW3HLrd/1YZLSM8KR9VtNb
SuTDyQowX4NbRWG51hyswnKhradEB/h+ObeGSZqsEV87oBwz/Z3YQZlFFEec9a/U
BK9VJqNJDxKZ14CGRqBiJ6ci+Ig5mDdNp1ffb5cCgYBhEhmFXYd9JMNQbZUo/63B
dCmtsH1QYavvmo+nKwU6e/kyMNFxwvubg0HSFk4GQy4M/emnQXkfUQoqgVc2Inw6
Tv14HUd+Mgb+ytWqRCr4bj1aAZmeCpWR9z+ROfg+tEodqlqWcK4UNDKPePW7De9J
uDxUcK4W8/tjB+dhyxLwQQKBgQCMIFVICOxM/zg4LC9xp/TlRR9J++THPV8Jz1k2
XVSI0ge5l0zMehYd5URuctDmhTYe+g0YzDCEOwiEeTC1p5WMuOutnANh110NxS47
0tqTYO2Y+OqhFZuWoTBUBngtkQ+tUHncpVhfZsFNV5+08UGY0Cw8zaYTjzD3J0Ub
SDOgJQKBgQCGlCPnr1tuuRlQIuqV/M1UrZNXeu3eDr0qVdDvINBEBHrps6dO4W8N
2x7lAPepbhjUfQoagbn6bFpToz6wLoy8yS9a4pLumu57ognLmHY5PqzhuThV3UOV
CoWe/NijXMFNPWz3W6GtOZBsiLEB8OmcgWyz6McSzTnZ1xwxfsc46A==
-----END RSA PRIVATE KEY-----
`

var (
	testKeyOnce sync.Once
	testKeyVal  *rsa.PrivateKey
	otherKeyVal *rsa.PrivateKey
)

// testKeys returns the fixed PEM key and a second, freshly generated one
// (for wrong-key cases).
func testKeys(t testing.TB) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	testKeyOnce.Do(func() {
		var err error
		if testKeyVal, err = ParsePrivateKeyPEM([]byte(testKeyPEM)); err != nil {
			panic(err)
		}
		if otherKeyVal, err = GenerateKey(); err != nil {
			panic(err)
		}
	})
	return testKeyVal, otherKeyVal
}
