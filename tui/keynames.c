/* keynames — see keynames.h. */
#include "tui/keynames.h"

#include <stdio.h>
#include <string.h>

#include "core/base/util.h"

#define KEYNAMES_TAB '\t'
#define KEYNAMES_ESC 27
#define KEYNAMES_DEL 127
#define KEYNAMES_BS 8
#define KEYNAMES_MAX 16

static struct keys_special special;
static const struct key_binding *table;
static size_t ntable;

void keynames_init(const struct keys_special *k, const struct key_binding *t, size_t n)
{
	special = *k;
	table = t;
	ntable = n;
}

/* The keys curses has its own values for, or NULL. */
static const char *special_name(int code)
{
	const struct { int code; const char *name; } sp[] = {
		{ special.btab, "Shift-Tab" }, { special.left, "\xe2\x86\x90" },
		{ special.right, "\xe2\x86\x92" }, { special.up, "\xe2\x86\x91" },
		{ special.down, "\xe2\x86\x93" }, { special.npage, "PgDn" }, { special.ppage, "PgUp" },
		{ special.home, "Home" }, { special.end, "End" },
	};

	for (size_t i = 0; i < UTIL_ARRAY_LEN(sp); i++)
		if (sp[i].code != 0 && sp[i].code == code)
			return sp[i].name;
	return NULL;
}

const char *keynames_code(int code, char *out, size_t n)
{
	const char *name = NULL;

	if (code == ' ')
		name = "Space";
	else if (code == KEYNAMES_TAB)
		name = "Tab";
	else if (code == '\r' || code == '\n' || (special.enter != 0 && code == special.enter))
		name = "Enter";
	else if (code == KEYNAMES_ESC)
		name = "Esc";
	else if (code == KEYNAMES_DEL || code == KEYNAMES_BS || (special.backspace != 0 && code == special.backspace))
		name = "Backspace";
	else if (code > ' ' && code < KEYNAMES_DEL)
		snprintf(out, n, "%c", code);
	else if (code >= 1 && code <= 26)
		snprintf(out, n, "Ctrl-%c", 'A' + code - 1);
	else if (special.f0 != 0 && code > special.f0 && code <= special.f0 + 12)
		snprintf(out, n, "F%d", code - special.f0);
	else if ((name = special_name(code)) == NULL)
		snprintf(out, n, "#%d", code);
	if (name != NULL)
		util_strlcpy(out, name, n);
	return out;
}

const struct key_binding *keynames_row(const char *name)
{
	for (size_t i = 0; i < ntable; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

const char *keynames_hint(const struct keynames_hint *h, char *out, size_t n)
{
	const char *s = h->names;
	size_t len = 0;

	out[0] = '\0';
	while (*s != '\0' && len < n) {
		size_t w = strcspn(s, " /");
		char row[32], name[KEYNAMES_MAX];
		const struct key_binding *b;

		snprintf(row, sizeof(row), "%.*s", (int)w, s);
		b = keynames_row(row);
		len += (size_t)snprintf(out + len, n - len, "%s",
		                        b != NULL ? keynames_code(b->codes[0], name, sizeof(name)) : row);
		s += w;
		if (*s != '\0' && len < n)
			len += (size_t)snprintf(out + len, n - len, "%c", *s++);
	}
	return out;
}

