/* util — allocation that cannot fail, bounded string helpers, the fatal path.
 *
 * Allocation failure is not recoverable in kitetop: xmalloc() and friends call
 * fatal(), which runs the hook the UI registered (endwin) and aborts, as htop's
 * fail() does.  Every function returning memory gives it to the caller, who
 * frees it with free(). */
#ifndef KITETOP_CORE_BASE_UTIL_H
#define KITETOP_CORE_BASE_UTIL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define UTIL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* realloc to n elements of size bytes, aborting on overflow. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);              /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Copies at most size-1 bytes and always NUL-terminates (size > 0).
 * Returns strlen(src), so truncation is `ret >= size`. */
size_t util_strlcpy(char *dst, const char *src, size_t size);

/* The edit distance of two short strings (99 when one is over 64 bytes),
 * for "did you mean". */
size_t util_edit_distance(const char *a, const char *b);

/* Replaces *cause (freeing what was there) with a formatted message.
 * The convention of every fallible function: int f(..., char **cause),
 * returning -1 and a message the caller frees. */
void util_set_cause(char **cause, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Called by fatal() before it aborts: the UI restores the terminal here. */
void util_set_fatal_hook(void (*hook)(void));
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reads a whole file into a NUL-terminated buffer of at most max bytes.
 * Returns 0, or -1 with *cause ("cannot read X: reason", "X is over N bytes",
 * "X is not a regular file": a FIFO, a directory, a device). */
int util_read_file(const char *path, size_t max, char **out, size_t *out_len, char **cause);

/* true when s is one of yes/no/true/false/on/off/1/0 (case-insensitive); sets *out. */
bool util_parse_bool(const char *s, bool *out);

/* Writes all of buf to fd, retrying on EINTR; -1 on error. */
int util_write_all(int fd, const void *buf, size_t len);

/* mkdir -p of path's directory (path itself is a file's): the folders it
 * makes get mode 0700, existing ones keep theirs (one above that says EACCES
 * rather than EEXIST is fine when it is a directory).  0, or -1 with errno. */
int util_mkdirs_for(const char *path);

/* A copy of s that is safe to show on a terminal, at most max bytes, cut at
 * a character boundary: control characters (C0, DEL, C1) and invalid UTF-8
 * become '?', valid UTF-8 stays.  NULL in, NULL out.  Caller frees. */
char *util_text_sanitize(const char *s, size_t max);

/* Names thread t "kt:NAME" (cut to the kernel's 15 bytes), as htop and
 * /proc/PID/task/TID/comm show it.  Best effort. */
void util_thread_name(pthread_t t, const char *name);
/* Gives the memory freed since back to the system where the allocator can
 * (glibc: malloc_trim, every thread's arena): after a large transient
 * allocation (a big container list parsed), so that its peak does not stay
 * resident.  Elsewhere: nothing. */
void util_release_memory(void);

/* Drops from this process's resident set the pages of its read-only file
 * mappings (shared libraries' code and constant data, locale files) that
 * hold no changed page, so that only pages used again come back.  Start-up
 * (the dynamic linker, OpenSSL's and GnuTLS's initialisation, the SSH
 * handshake) and the kernel's fault-around leave megabytes of them mapped
 * that a long-running dashboard never touches again.  The pages stay in
 * the page cache; one needed later costs one minor fault (and the kernel's
 * fault-around maps its neighbours: a trim costs a burst of faults, so it is
 * not done often).
 * Mappings with any anonymous page (RELRO, relocated data) are left alone:
 * their changed pages must not be dropped.  Returns the bytes advised (0
 * when /proc/self/smaps is not there). */
size_t util_trim_file_pages(void);

#endif
