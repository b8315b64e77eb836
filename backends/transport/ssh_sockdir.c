/* ssh_sockdir — see ssh_sockdir.h. */
#include "backends/transport/ssh_sockdir.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/util.h"

#define SOCKDIR_PREFIX "kitetop-ssh-"
#define SOCKDIR_RANDOM 6   /* mkdtemp's XXXXXX */

char *ssh_sockdir_template(const char *base)
{
	return xasprintf("%s/" SOCKDIR_PREFIX "%ld-XXXXXX", base, (long)getpid());
}

/* The pid in "kitetop-ssh-PID-XXXXXX", or 0 when name is not of that form. */
static pid_t sockdir_pid(const char *name)
{
	const char *p;
	long pid = 0;
	size_t i;

	if (strncmp(name, SOCKDIR_PREFIX, strlen(SOCKDIR_PREFIX)) != 0)
		return 0;
	p = name + strlen(SOCKDIR_PREFIX);
	if (!isdigit((unsigned char)*p) || *p == '0')
		return 0;
	for (; isdigit((unsigned char)*p); p++) {
		pid = pid * 10 + (*p - '0');
		if (pid > 99999999)
			return 0;
	}
	if (*p++ != '-')
		return 0;
	for (i = 0; i < SOCKDIR_RANDOM; i++)
		if (!isalnum((unsigned char)p[i]))
			return 0;
	return p[SOCKDIR_RANDOM] == '\0' ? (pid_t)pid : 0;
}

/* Alive, or not ours to judge (EPERM: someone else's process has it). */
static bool sockdir_pid_alive(pid_t pid)
{
	return kill(pid, 0) == 0 || errno != ESRCH;
}

/* "pg" and digits: the folder of one PostgreSQL tunnel's socket. */
static bool sockdir_is_pg(const char *name)
{
	if (strncmp(name, "pg", 2) != 0 || name[2] == '\0')
		return false;
	for (name += 2; *name != '\0'; name++)
		if (!isdigit((unsigned char)*name))
			return false;
	return true;
}

/* Unlinks the sockets in the directory dfd (which it closes); depth 0 also
 * goes into its pgN folders and removes them once empty. */
static void sockdir_clear(int dfd, uid_t uid, int depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;

	if (d == NULL) {
		close(dfd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		int sub;

		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_uid != uid)
			continue;
		if (S_ISSOCK(st.st_mode)) {
			(void)unlinkat(dirfd(d), e->d_name, 0);
		} else if (S_ISDIR(st.st_mode) && depth == 0 && sockdir_is_pg(e->d_name)) {
			sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0) {
				sockdir_clear(sub, uid, 1);
				(void)unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
			}
		}
	}
	closedir(d);
}

int ssh_sockdir_sweep(const char *base, uid_t uid, pid_t self)
{
	int bfd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *e;
	int n = 0;

	if (bfd < 0)
		return 0;
	d = fdopendir(bfd);
	if (d == NULL) {
		close(bfd);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		pid_t pid = sockdir_pid(e->d_name);
		struct stat st, st2;
		int dfd;

		if (pid <= 0 || pid == self || sockdir_pid_alive(pid))
			continue;
		/* lstat's view: a symbolic link by that name is not followed */
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != uid)
			continue;
		dfd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (dfd < 0)
			continue;
		/* the one looked at, not one put there since */
		if (fstat(dfd, &st2) != 0 || st2.st_dev != st.st_dev || st2.st_ino != st.st_ino) {
			close(dfd);
			continue;
		}
		sockdir_clear(dfd, uid, 0);
		if (unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR) == 0)
			n++;
	}
	closedir(d);
	return n;
}
