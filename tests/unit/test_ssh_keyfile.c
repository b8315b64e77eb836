/* Unit tests: backends/transport/ssh_keyfile.  The keys below are throwaway
 * test keys made with ssh-keygen for this file (the encrypted ones with
 * passphrase "pw"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "backends/transport/ssh_keyfile.h"

static const char key_ed25519[] =
	"-----BEGIN OPENSSH PRIVATE KEY-----\n"
	"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
	"QyNTUxOQAAACCmINRi5oJh621irYX+pkvl+uDdOON4r/I6eFNkIC+QwwAAAIjEEdDTxBHQ\n"
	"0wAAAAtzc2gtZWQyNTUxOQAAACCmINRi5oJh621irYX+pkvl+uDdOON4r/I6eFNkIC+Qww\n"
	"AAAEA5zfXsArReWOPkNl7t+I9WPeA+0CtCZwnhw48Pd8Wlr6Yg1GLmgmHrbWKthf6mS+X6\n"
	"4N0443iv8jp4U2QgL5DDAAAAAXQBAgME\n"
	"-----END OPENSSH PRIVATE KEY-----\n";

static const char key_ed25519_enc[] =
	"-----BEGIN OPENSSH PRIVATE KEY-----\n"
	"b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABA7IC0mJp\n"
	"O3WRm7pa/dCDlqAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIImji9Yet3+1Chzh\n"
	"Qv/5I9rWw0yl9lM+vNtaOC6egpWwAAAAkC9VuzjTmgUY+pgv4NQCDvqpbxgkt2adi8soSV\n"
	"jgA41ZhhTdr1MAJ4ameXaFdW7ORF7jtCDKmgk1lJwQuJzLqzdeeZN1MHhl87jc1IfuVd3j\n"
	"005G9MJUcXfH8k6KOwfRB+Pv3CcfJ1LepNXCgreiJiyEym7TmbJVhrF7LAIF7G/Lh8ryCK\n"
	"ljojGjGMXt/oMinQ==\n"
	"-----END OPENSSH PRIVATE KEY-----\n";

static const char key_ecdsa[] =
	"-----BEGIN OPENSSH PRIVATE KEY-----\n"
	"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAaAAAABNlY2RzYS\n"
	"1zaGEyLW5pc3RwMjU2AAAACG5pc3RwMjU2AAAAQQTmjJ1UDaiiirW+3pZgqzuNLQliGpFd\n"
	"McjhNksGMctovyzYydWt2p8yyHQicjKZzsLtPt0RMNBa8H6prfLX9pqlAAAAoLKVPLaylT\n"
	"y2AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBOaMnVQNqKKKtb7e\n"
	"lmCrO40tCWIakV0xyOE2SwYxy2i/LNjJ1a3anzLIdCJyMpnOwu0+3REw0Frwfqmt8tf2mq\n"
	"UAAAAgVI2WMO2fJ9jtaio6G+4+ZboZ15HXW4BKi07Kc5Est+gAAAABdAECAwQFBgc=\n"
	"-----END OPENSSH PRIVATE KEY-----\n";

static const char key_rsa_enc[] =
	"-----BEGIN OPENSSH PRIVATE KEY-----\n"
	"b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABCzI2Rbnm\n"
	"V9dZH+hXO1JsJGAAAAEAAAAAEAAAGXAAAAB3NzaC1yc2EAAAADAQABAAABgQCuz7KSzCa+\n"
	"faQnLIePv7w2FgySEec447sSJ6JCD2U8XXfJhRk/Brtnm25T088+ZW+bdeFDs4+P2YG8Om\n"
	"WunD81VKrLC5repihdYq1ukEwvS7gVkS8WHWbNQw33dYvXnRZu48/ICjb8+wbY6VNnapEH\n"
	"zAtIhXPrytFAixXYDWyLt6wrbeBxlpB4HctwO4KF1WDDVDisXv/4dgYWxxGSslJ3ldkLBH\n"
	"RRfLjswsDi1K5x3o5krr5oyBOKPy4Xjn++wunDufG/UJsW7C2ftRCLxpBIM/8OLCOn2GNE\n"
	"iqycsxe21OmX1qOeehcpi1UIVTtUZKaRFDzFA5+dTb8PEz7LvBsPokDXTAgJELzaRCKUQL\n"
	"iX9TKoEsuH6ow9HYuTQ13ffPawWZNrDaBYKEzmQV7SNJboFdvG/EZtuQxN5oJJtRRGdDNT\n"
	"HGaxzIw/KVIc1l49LIr7C9IWH4gSfsEC35mcR0TcZ2gALNFooqIGKJrEujbuzwiOPQM1Qo\n"
	"C5422eHKFs1jsAAAWAA52HtTQ6RWgfa2lX7w2/Zym0PNTSSaSDg7IAd5fXb5XwE484FJoU\n"
	"5+IuwovxuKa9vSZtPTKpNkIVQKyHaoeqKbA2jcYVULdI+LxzcHf7fi/ZVBG19bDhD0Erjq\n"
	"g7LY6SbLqRfTMcTE/ZyLxmr1z2R/5TQoU1A9e0V2YFTBvL1ozhayqp9M/PuAzycY7b8bf3\n"
	"XLRrDCapqgb9AVxou45E4hlsAb2VCszxq7fz7SyyDLBuNWRhzGRj8WXZ3ze1lh4WQw0D7q\n"
	"A42ToWf37UJRXcqojjnwHQnLEApI4ujA7gzKXbYukPE6rkMH/eHMZTYq3ymt8Zbrvnl/hR\n"
	"DjhGJaA7RUxcO8z0tZlnRw+E2XSmOzdy4/QZRFT7Qz3Zd1g6faEsWu1DN0SMfQBuVqKbR0\n"
	"tBoDL3xN5cZif6g1yItg7LNO97Ru9u3x0oaaSUGWmrTtTg5/jTs2TVYp5LSPaGx9+xAQS9\n"
	"XlSYSmmqmeXcOThX1QV6XkYg8E6QyhPp2gWw5Cn/Z+Z1s9pRSdPmEMwAIA1XKdkgecfdBR\n"
	"bineCP4tWtypVujAvtg1xwDirN6RT+7PAqZxCr/SbaSBiLBEHykA/ULnRSVareB6w4HdlS\n"
	"wBgx7aeAaxY0Aja1bcU2G85zZkH3cX8MBq89jY0zCl3j73UrTptaP9k1jd2KlrfHUwAidh\n"
	"jzlBS+2MUR76ogtqf9FGbvRHk+/gh7cpAcdufRAwd0dyxCcTEwZqGGGL/1oEqVfQ84z7Cj\n"
	"RJMeNlgKxNpfnAnPOi3NMv9cv1gholWUDydQqgu70QmHTDkHYjOuYHAUmZQnfl/g0kCeTc\n"
	"sYI0FOg84kd9XBjf6Dz8k/nPveB4BBduDIgo1JDgyV3GLcJuPMRAJhCvb6t8YVeArqKEea\n"
	"cunB6l75oFRyVLaqieyack71v23jAM43B2TQsDBmTa6oFwep6iYOT69GBfq032+iOr95jK\n"
	"J1xf8OaZKO+x7EUanufQY9vc4h1Y1eVLUahcwP0hL0J8cGp0yAk7Eo9DAsKcNKaT3LuYwj\n"
	"SnQgHbu98wy/KIE0df/OlhQUxl6duUO9I9VVEcsBBzIvFX75bqk7FojAiJFybAjTfupfG/\n"
	"WPTQJ842CrcAzOd3B2pnKQJzOAFALvccgTrY1b2VVO3BuZxYMJkaMj4eSLKo8acc+jETYB\n"
	"Gtgf2VUWAC5DqZFxiqdjAXJY2S8SzFpX3AHFf+Hkm3JmAw0a7TJdUz+TfTZixIO78cHMy/\n"
	"3Ul1HGI89143UuBI/hDmMmrgVaIRoUtZMoE3SFnJaW1kd8LQw7wpbU3goDeh8AxDUg0B2T\n"
	"56STXvZnz4hjUZcrgYartzjY7gvMfNTPKeAXqnIH5tHGSwwPPLOE/RdnCo8A5fgejHEH3y\n"
	"wfPwFvFUDJr/9R833DGdbMbK+Hkid6j7cRBTEuDvDDFfihoyfDFsoz+oQz99w6eLG9wQ2Z\n"
	"KcT8aZ2qdNH/4WZYsh6ERQOShqZxFJK59clK7o6pgPD9bFMHqz2Mik+RaPZB5oyAmWPQPS\n"
	"ui27MNdlTSz7il5WJX8sRrGjsDe6pbEBHsP12jkppovtqDREVTKFEB7E+6+LFKJmM/e/47\n"
	"KDLz8OZCuycvkLIzNHzha7K6Kyq3gtlaK8AicmD9l1SWyeRj2g5Iqre8naOXNKzl7+SsPy\n"
	"BKLHkJSaNyoG2E3pxKC7rK1MkYDWAndINwYNAfr7jQwhgtc8mJvRlKqkiMB61I8lsJr7C0\n"
	"ON1iB2xMvqn6Blj5YAI3do5/mOhjHhN+htlN0fqg2NxmbixXL/scLeAMkNXEysShVHhqNw\n"
	"2IIbtODTY2Id/pktxYFQzAntwhMokcH8et9YBLlIVSBI8gDCtdl2LEQuN++hbRSxwiWeHI\n"
	"L+T0oA==\n"
	"-----END OPENSSH PRIVATE KEY-----\n";

static void
check(const char *text, enum ssh_keyfile_type type, bool encrypted)
{
	struct ssh_keyfile_info info;

	assert_int_equal(ssh_keyfile_inspect(text, strlen(text), &info), 0);
	assert_int_equal(info.type, type);
	assert_int_equal(info.encrypted, encrypted);
}

static void test_openssh_keys_give_type_and_encryption(void **state)
{
	check(key_ed25519, SSH_KEYFILE_ED25519, false);
	check(key_ed25519_enc, SSH_KEYFILE_ED25519, true);
	check(key_ecdsa, SSH_KEYFILE_ECDSA, false);
	check(key_rsa_enc, SSH_KEYFILE_RSA, true);
}

static void test_pem_keys_give_type_and_encryption(void **state)
{
	check("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n",
	    SSH_KEYFILE_RSA, false);
	check("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n"
	    "MIIE\n-----END EC PRIVATE KEY-----\n", SSH_KEYFILE_ECDSA, true);
	check("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIE\n", SSH_KEYFILE_UNKNOWN, true);
	check("-----BEGIN PRIVATE KEY-----\nMIIE\n", SSH_KEYFILE_UNKNOWN, false);
}

static void test_public_truncated_or_empty_are_not_keys(void **state)
{
	struct ssh_keyfile_info info;
	static const char trunc[] = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
	    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n";
	static const char noend[] = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n";

	assert_int_equal(ssh_keyfile_inspect("ssh-ed25519 AAAA x\n", 19, &info), -1);
	assert_int_equal(ssh_keyfile_inspect(trunc, strlen(trunc), &info), -1);
	assert_int_equal(ssh_keyfile_inspect(noend, strlen(noend), &info), -1);
	assert_int_equal(ssh_keyfile_inspect("", 0, &info), -1);
}

static void test_public_blob_gives_the_key_type(void **state)
{
	static const unsigned char ed[] = "\0\0\0\x0bssh-ed25519\0\0\0\x20";
	static const unsigned char rsa[] = "\0\0\0\x07ssh-rsa";
	static const unsigned char ec[] = "\0\0\0\x13" "ecdsa-sha2-nistp256";
	static const unsigned char bad[] = "\0\0\0\x40ssh";
	static const unsigned char sked[] = "\0\0\0\x1ask-ssh-ed25519@openssh.com";
	static const unsigned char skec[] = "\0\0\0\x22sk-ecdsa-sha2-nistp256@openssh.com";
	static const unsigned char dss[] = "\0\0\0\x07ssh-dss";

	assert_int_equal(ssh_keyfile_blob_type(ed, sizeof ed - 1), SSH_KEYFILE_ED25519);
	assert_int_equal(ssh_keyfile_blob_type(rsa, sizeof rsa - 1), SSH_KEYFILE_RSA);
	assert_int_equal(ssh_keyfile_blob_type(ec, sizeof ec - 1), SSH_KEYFILE_ECDSA);
	assert_int_equal(ssh_keyfile_blob_type(bad, sizeof bad - 1), SSH_KEYFILE_UNKNOWN);
	assert_int_equal(ssh_keyfile_blob_type(bad, 2), SSH_KEYFILE_UNKNOWN);
	assert_string_equal(ssh_keyfile_type_name(SSH_KEYFILE_RSA), "rsa");
	/* FIDO keys: libssh2 1.10 cannot sign with them, kitetop says so */
	assert_int_equal(ssh_keyfile_blob_type(sked, sizeof sked - 1), SSH_KEYFILE_SK);
	assert_int_equal(ssh_keyfile_blob_type(skec, sizeof skec - 1), SSH_KEYFILE_SK);
	assert_int_equal(ssh_keyfile_blob_type(dss, sizeof dss - 1), SSH_KEYFILE_OTHER);
	assert_string_equal(ssh_keyfile_type_name(SSH_KEYFILE_SK), "fido");
}

int main(void);

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openssh_keys_give_type_and_encryption),
		cmocka_unit_test(test_pem_keys_give_type_and_encryption),
		cmocka_unit_test(test_public_truncated_or_empty_are_not_keys),
		cmocka_unit_test(test_public_blob_gives_the_key_type),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
