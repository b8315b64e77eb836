/* Unit tests of ssh_sockdir: the sweep of the socket directories that a
 * kitetop killed by a signal or a crash leaves behind, and of nothing else. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/transport/ssh_sockdir.h"
#include "core/base/util.h"

static char base[64];

/* A pid that was alive a moment ago and is not any more. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return pid;
}

/* base/PREFIX PID SUFFIX (no pid when it is negative) */
static char *in_base(const char *prefix, long pid, const char *suffix)
{
	if (pid < 0)
		return xasprintf("%s/%s%s", base, prefix, suffix);
	return xasprintf("%s/%s%ld%s", base, prefix, pid, suffix);
}

/* A unix socket file at path, as a listener leaves it. */
static void make_socket(const char *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	assert_true(strlen(path) < sizeof sa.sun_path);
	strcpy(sa.sun_path, path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	close(fd);
}

static void make_sockdir(const char *dir)
{
	char *p;

	assert_int_equal(mkdir(dir, 0700), 0);
	p = xasprintf("%s/t1.sock", dir);
	make_socket(p);
	free(p);
	p = xasprintf("%s/pg2", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	free(p);
	p = xasprintf("%s/pg2/.s.PGSQL.5432", dir);
	make_socket(p);
	free(p);
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static int setup(void **state)
{
	strcpy(base, "/tmp/kt-sockdir-XXXXXX");
	return mkdtemp(base) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", base);
	int rc = system(cmd);

	free(cmd);
	return rc == 0 ? 0 : -1;
}

static void test_template_names_the_pid(void **state)
{
	char *t = ssh_sockdir_template("/run/user/1");
	char *want = xasprintf("/run/user/1/kitetop-ssh-%ld-XXXXXX", (long)getpid());

	assert_string_equal(t, want);
	free(t);
	free(want);
}

static void test_sweep_removes_only_a_dead_kitetops_sockets(void **state)
{
	pid_t dead = dead_pid();
	char *gone = in_base("kitetop-ssh-", dead, "-aB3dE9");
	char *ours = in_base("kitetop-ssh-", getpid(), "-ours00");
	char *live = in_base("kitetop-ssh-", getppid(), "-live00");
	char *kept_file = in_base("kitetop-ssh-", dead, "-file00");
	char *link = in_base("kitetop-ssh-", dead, "-link00");
	char *target = in_base("elsewhere-", dead, "");
	char *old = in_base("kitetop-ssh-Xy12ab", -1, "");
	char *other = in_base("kitetop-ssh-", dead, "-toolong");
	char *plain = in_base("kitetop-ssh-", dead, "-plain0");
	char *p;

	make_sockdir(gone);
	make_sockdir(ours);
	make_sockdir(live);
	make_sockdir(kept_file);   /* holds a file besides its sockets */
	p = xasprintf("%s/notes", kept_file);
	close(open(p, O_WRONLY | O_CREAT, 0600));
	free(p);
	make_sockdir(target);      /* reached only through a symbolic link */
	assert_int_equal(symlink(target, link), 0);
	make_sockdir(old);         /* the name before the pid was in it */
	make_sockdir(other);
	close(open(plain, O_WRONLY | O_CREAT, 0600));   /* not a directory */

	assert_int_equal(ssh_sockdir_sweep(base, getuid(), getpid()), 1);
	assert_false(exists(gone));
	assert_true(exists(ours));
	assert_true(exists(live));
	/* its sockets went, the file and so the folder stay */
	p = xasprintf("%s/notes", kept_file);
	assert_true(exists(p));
	free(p);
	p = xasprintf("%s/t1.sock", kept_file);
	assert_false(exists(p));
	free(p);
	assert_true(exists(link));
	p = xasprintf("%s/t1.sock", target);
	assert_true(exists(p));
	free(p);
	p = xasprintf("%s/pg2/.s.PGSQL.5432", old);
	assert_true(exists(p));
	free(p);
	p = xasprintf("%s/t1.sock", other);
	assert_true(exists(p));
	free(p);
	assert_true(exists(plain));

	/* someone else's directory (another uid) is not ours to clear */
	make_sockdir(gone);
	assert_int_equal(ssh_sockdir_sweep(base, getuid() + 1, getpid()), 0);
	assert_true(exists(gone));

	free(gone);
	free(ours);
	free(live);
	free(kept_file);
	free(link);
	free(target);
	free(old);
	free(other);
	free(plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_template_names_the_pid),
		cmocka_unit_test_setup_teardown(test_sweep_removes_only_a_dead_kitetops_sockets, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
