/* Unit tests: backends/transport/ssh_knownhosts (formats, and the host-key
 * preference that known_hosts files give, with libssh2's real parser). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <libssh2.h>

#include "backends/transport/ssh_knownhosts.h"

/* An ed25519 public key, its SHA-256 and what `ssh-keygen -lf` printed for it. */
static const char pub_b64[] =
	"AAAAC3NzaC1lZDI1NTE5AAAAIFfuziEhJK34oXOd/tol6RsoF28eOSVFUFPcBvSwkSH4";
static const char digest_hex[] =
	"6daae31fd41738efa6c3f047f88e85a6ef436a817bfca0d5137497db787445f2";
static const char fingerprint[] = "SHA256:barjH9QXOO+mw/BH+I6Fpu9DaoF7/KDVE3SX23h0RfI";

static void
hex_decode(const char *hex, unsigned char *out)
{
	size_t i;

	for (i = 0; hex[2 * i] != '\0'; i++) {
		unsigned v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (unsigned char)v;
	}
}

static void test_fingerprint_matches_ssh_keygen_and_truncates(void **state)
{
	unsigned char d[32];
	char fp[64], small[12];

	hex_decode(digest_hex, d);
	ssh_knownhosts_fingerprint(d, fp, sizeof fp);
	assert_string_equal(fp, fingerprint);
	ssh_knownhosts_fingerprint(d, small, sizeof small);
	assert_string_equal(small, "SHA256:barj");
}

static void test_base64_round_trips_padded_and_unpadded(void **state)
{
	static const struct { const char *in, *pad, *nopad; } v[] = {
		{ "", "", "" }, { "f", "Zg==", "Zg" }, { "fo", "Zm8=", "Zm8" },
		{ "foo", "Zm9v", "Zm9v" }, { "foob", "Zm9vYg==", "Zm9vYg" },
		{ "fooba", "Zm9vYmE=", "Zm9vYmE" }, { "foobar", "Zm9vYmFy", "Zm9vYmFy" },
	};
	unsigned char out[64];
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		char *a = ssh_knownhosts_base64((const unsigned char *)v[i].in, strlen(v[i].in), true);
		char *b = ssh_knownhosts_base64((const unsigned char *)v[i].in, strlen(v[i].in), false);

		assert_string_equal(a, v[i].pad);
		assert_string_equal(b, v[i].nopad);
		assert_int_equal(ssh_knownhosts_base64_decode(a, strlen(a), out, sizeof out),
		    (long)strlen(v[i].in));
		assert_memory_equal(out, v[i].in, strlen(v[i].in));
		assert_int_equal(ssh_knownhosts_base64_decode(b, strlen(b), out, sizeof out),
		    (long)strlen(v[i].in));
		free(a);
		free(b);
	}
	assert_int_equal(ssh_knownhosts_base64_decode("Zm9vYmFy", 8, out, 5), -1);
	assert_int_equal(ssh_knownhosts_base64_decode("Z", 1, out, sizeof out), -1);
}

static void test_line_brackets_non_22_port_and_names_key_types(void **state)
{
	unsigned char key[128];
	long n = ssh_knownhosts_base64_decode(pub_b64, strlen(pub_b64), key, sizeof key);
	char *l;

	assert_int_equal(n, 51);
	l = ssh_knownhosts_line("127.0.0.10", 2222, "ssh-ed25519", key, (size_t)n);
	assert_string_equal(l, "[127.0.0.10]:2222 ssh-ed25519 "
	    "AAAAC3NzaC1lZDI1NTE5AAAAIFfuziEhJK34oXOd/tol6RsoF28eOSVFUFPcBvSwkSH4");
	free(l);
	l = ssh_knownhosts_line("monk", 22, "ssh-ed25519", key, (size_t)n);
	assert_string_equal(l, "monk ssh-ed25519 "
	    "AAAAC3NzaC1lZDI1NTE5AAAAIFfuziEhJK34oXOd/tol6RsoF28eOSVFUFPcBvSwkSH4");
	free(l);
	assert_string_equal(ssh_knownhosts_key_name(LIBSSH2_HOSTKEY_TYPE_ED25519), "ssh-ed25519");
	assert_string_equal(ssh_knownhosts_key_name(LIBSSH2_HOSTKEY_TYPE_ECDSA_256),
	    "ecdsa-sha2-nistp256");
	assert_null(ssh_knownhosts_key_name(LIBSSH2_HOSTKEY_TYPE_UNKNOWN));
}

/* Hashed (ssh-keygen -H) entries for [127.0.0.10]:2222 and monk.feeds, then a
 * plain ecdsa one; an @cert-authority line that libssh2 cannot parse comes
 * first and must not hide the rest. */
static const char kh_text[] =
	"@cert-authority *.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFfuziEhJK34oXOd/tol6RsoF28eOSVFUFPcBvSwkSH4\n"
	"# comment\n"
	"|1|i8kDSZ18/CoHn+aYjNX8Cp80wG8=|nIXnfHCHni3OH93k/qZXwTzSfzE= ssh-ed25519 "
	"AAAAC3NzaC1lZDI1NTE5AAAAIFfuziEhJK34oXOd/tol6RsoF28eOSVFUFPcBvSwkSH4\n"
	"|1|BHtjK3Ej+4t47xCYP7p108p3GX4=|ZgE1rrmDPN/IjtXMq+RaTNNeUF0= ssh-ed25519 "
	"AAAAC3NzaC1lZDI1NTE5AAAAIFfuziEhJK34oXOd/tol6RsoF28eOSVFUFPcBvSwkSH4\n"
	"both.lab ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBF"
	"JxbDYUsbVkbDPqGHeIZPiDzJ28mzIo3kFQ2hEyJDDGLnVpmUZsEOfaOlQJ61Gcsr0C0SIfEoWhw4CP8zmTVGg=\n"
	"both.lab ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFfuziEhJK34oXOd/tol6RsoF28eOSVFUFPcBvSwkSH4\n";

/* The advice for a changed key edits the file the key is in: -f for any
 * file but ~/.ssh/known_hosts, which ssh-keygen edits by default. */
static void test_remove_command_names_a_configured_file(void **state)
{
	char *c;

	(void)state;
	c = ssh_knownhosts_remove_command("/home/k/.ssh/known_hosts", "/home/k", "127.0.0.2", 22);
	assert_string_equal(c, "ssh-keygen -R '127.0.0.2'");
	free(c);
	c = ssh_knownhosts_remove_command("/etc/kitetop/known_hosts", "/home/k", "127.0.0.2", 2222);
	assert_string_equal(c, "ssh-keygen -f '/etc/kitetop/known_hosts' -R '[127.0.0.2]:2222'");
	free(c);
	c = ssh_knownhosts_remove_command("/home/k/lab's hosts", NULL, "monk", 22);
	assert_string_equal(c, "ssh-keygen -f '/home/k/lab'\\''s hosts' -R 'monk'");
	free(c);
}

static void test_methods_prefer_known_key_types_else_all(void **state)
{
	char path[] = "/tmp/kt-sshkh-XXXXXX", *files[2];
	char m[SSH_KNOWNHOSTS_METHODS_LEN];
	LIBSSH2_SESSION *s;
	struct ssh_knownhosts *kh;
	int fd;

	assert_int_equal(libssh2_init(0), 0);
	s = libssh2_session_init();
	assert_non_null(s);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, kh_text, strlen(kh_text)), (ssize_t)strlen(kh_text));
	close(fd);
	files[0] = (char *)"/nonexistent/kt-known_hosts";
	files[1] = path;
	kh = ssh_knownhosts_load(s, files, 2);

	ssh_knownhosts_methods(kh, "127.0.0.10", 2222, m, sizeof m);
	assert_string_equal(m, "ssh-ed25519");
	ssh_knownhosts_methods(kh, "monk.lab", 22, m, sizeof m);
	assert_string_equal(m, "ssh-ed25519");
	ssh_knownhosts_methods(kh, "both.lab", 22, m, sizeof m);
	assert_string_equal(m, "ssh-ed25519,ecdsa-sha2-nistp256");
	/* unknown: the whole order, ed25519 first */
	ssh_knownhosts_methods(kh, "127.0.0.10", 2223, m, sizeof m);
	assert_string_equal(m, "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
	    "ecdsa-sha2-nistp521,ssh-rsa");
	ssh_knownhosts_free(kh);

	/* no files at all */
	kh = ssh_knownhosts_load(s, files, 1);
	ssh_knownhosts_methods(kh, "monk.lab", 22, m, sizeof m);
	assert_non_null(strstr(m, "ssh-ed25519,"));
	ssh_knownhosts_free(kh);

	unlink(path);
	libssh2_session_free(s);
	libssh2_exit();
}

int main(void);

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprint_matches_ssh_keygen_and_truncates),
		cmocka_unit_test(test_base64_round_trips_padded_and_unpadded),
		cmocka_unit_test(test_line_brackets_non_22_port_and_names_key_types),
		cmocka_unit_test(test_methods_prefer_known_key_types_else_all),
		cmocka_unit_test(test_remove_command_names_a_configured_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
