/* pgredis_forward — see pgredis_forward.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/support/pgredis_forward.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/base/util.h"

struct pgredis_forward {
	int lfd;
	char path[108];
	struct sockaddr_in to;
	pthread_t thread;
	atomic_int stop;
	atomic_int frozen;
	int served;
};

/* Copies both ways until one side closes or stop is set. */
static void pump(struct pgredis_forward *f, int a, int b)
{
	char buf[16384];

	while (!atomic_load(&f->stop)) {
		struct pollfd p[2] = { { a, POLLIN, 0 }, { b, POLLIN, 0 } };
		int i;

		if (atomic_load(&f->frozen)) {
			usleep(20000);
			continue;
		}
		if (poll(p, 2, 100) <= 0)
			continue;
		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(p[i].fd, buf, sizeof(buf));
			if (n <= 0 || util_write_all(p[1 - i].fd, buf, (size_t)n) != 0)
				return;
		}
	}
}

static void *forward_main(void *arg)
{
	struct pgredis_forward *f = arg;

	while (!atomic_load(&f->stop)) {
		struct pollfd p = { f->lfd, POLLIN, 0 };
		int a, b;

		if (poll(&p, 1, 100) <= 0)
			continue;
		a = accept(f->lfd, NULL, NULL);
		if (a < 0)
			continue;
		b = socket(AF_INET, SOCK_STREAM, 0);
		if (b >= 0 && connect(b, (struct sockaddr *)&f->to, sizeof(f->to)) == 0) {
			f->served++;
			pump(f, a, b);
		}
		if (b >= 0)
			close(b);
		close(a);
	}
	return NULL;
}

struct pgredis_forward *pgredis_forward_start(const char *path, const char *ip, int port)
{
	struct pgredis_forward *f = xcalloc(1, sizeof(*f));
	struct sockaddr_un sa;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (util_strlcpy(sa.sun_path, path, sizeof(sa.sun_path)) >= sizeof(sa.sun_path))
		goto fail;
	util_strlcpy(f->path, path, sizeof(f->path));
	f->to.sin_family = AF_INET;
	f->to.sin_port = htons((uint16_t)port);
	f->to.sin_addr.s_addr = inet_addr(ip);
	f->lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (f->lfd < 0)
		goto fail;
	unlink(path);
	if (bind(f->lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(f->lfd, 8) != 0 ||
	    pthread_create(&f->thread, NULL, forward_main, f) != 0) {
		close(f->lfd);
		goto fail;
	}
	return f;
fail:
	free(f);
	return NULL;
}

void pgredis_forward_freeze(struct pgredis_forward *f, int on)
{
	atomic_store(&f->frozen, on);
}

int pgredis_forward_stop(struct pgredis_forward *f)
{
	int served;

	atomic_store(&f->stop, 1);
	pthread_join(f->thread, NULL);
	close(f->lfd);
	unlink(f->path);
	served = f->served;
	free(f);
	return served;
}

int pgredis_listen(const char *ip, int *port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = inet_addr(ip);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}
