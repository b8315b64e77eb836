/* config_keymap — the [keys] section: the names of keys and the lines that
 * bind them (see config.h).  Whether an action exists and whether its new
 * keys clash with others is the key table's to say (tui/keys.c). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/config/config.h"
#include "core/config/config_internal.h"
#include "core/base/util.h"

static const struct {
	const char *name;
	int key;
} named_keys[] = {
	{ "space", CONFIG_KEY_SPACE }, { "tab", CONFIG_KEY_TAB }, { "enter", CONFIG_KEY_ENTER },
	{ "esc", CONFIG_KEY_ESC }, { "backspace", CONFIG_KEY_BACKSPACE },
	{ "up", CONFIG_KEY_UP }, { "down", CONFIG_KEY_DOWN }, { "left", CONFIG_KEY_LEFT },
	{ "right", CONFIG_KEY_RIGHT }, { "pgup", CONFIG_KEY_PGUP }, { "pgdn", CONFIG_KEY_PGDN },
	{ "home", CONFIG_KEY_HOME }, { "end", CONFIG_KEY_END }, { "shift-tab", CONFIG_KEY_BTAB },
	/* the characters the file's syntax takes for itself: a list's
	 * separator and the comment starters */
	{ "comma", ',' }, { "hash", '#' }, { "semicolon", ';' },
};

/* Ctrl-X for letter x (lower case), or -1 and *why. */
static int ctrl_key(const char *name, char x, char **why)
{
	switch (x) {
	case 'c':
	case 'z':
		util_set_cause(why, "%s never reaches kitetop: the terminal turns it into a signal "
		               "(%s)", name, x == 'c' ? "interrupt" : "suspend");
		return -1;
	case 's':
	case 'q':
		util_set_cause(why, "%s never reaches kitetop: the terminal keeps it for flow control",
		               name);
		return -1;
	/* the bytes these keys send are those of Backspace, Tab and Enter */
	case 'h': return CONFIG_KEY_BACKSPACE;
	case 'i': return CONFIG_KEY_TAB;
	case 'j':
	case 'm': return CONFIG_KEY_ENTER;
	default: return x - 'a' + 1;
	}
}

/* F1 .. F12 from "f1" .. "f12" (any case), else 0. */
static int function_key(const char *name)
{
	char *end;
	long n;

	if (tolower((unsigned char)name[0]) != 'f' || !isdigit((unsigned char)name[1]) ||
	    name[1] == '0')
		return 0;
	n = strtol(name + 1, &end, 10);
	return *end == '\0' && n >= 1 && n <= 12 ? CONFIG_KEY_F1 + (int)n - 1 : 0;
}

int config_key_parse(const char *name, int *key, char **why)
{
	size_t i;
	int k;

	if (name[0] != '\0' && name[1] == '\0' && name[0] > ' ' && name[0] < 0x7f) {
		*key = (unsigned char)name[0];
		return 0;
	}
	for (i = 0; i < UTIL_ARRAY_LEN(named_keys); i++) {
		if (strcasecmp(name, named_keys[i].name) == 0) {
			*key = named_keys[i].key;
			return 0;
		}
	}
	if (strncasecmp(name, "ctrl-", 5) == 0 && isalpha((unsigned char)name[5]) && name[6] == '\0') {
		k = ctrl_key(name, (char)tolower((unsigned char)name[5]), why);
		if (k < 0)
			return -1;
		*key = k;
		return 0;
	}
	k = function_key(name);
	if (k != 0) {
		*key = k;
		return 0;
	}
	util_set_cause(why, "unknown key \"%s\": a key is one character (a, R, ?, /), space, tab, enter, "
	               "esc, backspace, up, down, left, right, pgup, pgdn, home, end, shift-tab, "
	               "ctrl-a .. ctrl-z, f1 .. f12, comma, hash or semicolon", name);
	return -1;
}

static const struct config_binding *binding_named(const struct config_keys *k, const char *action)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->bindings[i].action, action) == 0)
			return &k->bindings[i];
	return NULL;
}

/* Parses the comma-separated list v into b: -1 and *why on an empty item,
 * too many keys, an unknown name or a key given twice. */
static int parse_list(const char *action, const char *v, struct config_binding *b, char **why)
{
	char *copy = xstrdup(v), *item = copy, *names[CONFIG_KEYS_PER_ACTION];
	int rc = 0;

	for (;;) {
		char *comma = strchr(item, ','), *end;

		if (comma != NULL)
			*comma = '\0';
		while (*item == ' ' || *item == '\t')
			item++;
		for (end = item + strlen(item); end > item && (end[-1] == ' ' || end[-1] == '\t'); end--)
			;
		*end = '\0';
		if (*item == '\0') {
			util_set_cause(why, "%s: an empty key in the list (a comma key is written comma)", action);
			rc = -1;
			break;
		}
		if (b->nkeys == CONFIG_KEYS_PER_ACTION) {
			util_set_cause(why, "%s: at most %d keys an action", action, CONFIG_KEYS_PER_ACTION);
			rc = -1;
			break;
		}
		if (config_key_parse(item, &b->keys[b->nkeys], why) != 0) {
			rc = -1;
			break;
		}
		for (size_t i = 0; i < b->nkeys; i++) {
			if (b->keys[i] != b->keys[b->nkeys])
				continue;
			if (strcmp(names[i], item) == 0)
				util_set_cause(why, "%s: the key %s is given twice", action, item);
			else
				util_set_cause(why, "%s: %s and %s are the same key, given twice", action,
				               names[i], item);
			rc = -1;
			break;
		}
		if (rc != 0)
			break;
		names[b->nkeys++] = item;
		if (comma == NULL)
			break;
		item = comma + 1;
	}
	free(copy);
	return rc;
}

int config_keys_add(struct config_keys *k, const char *action, const char *value, int line,
                    char **why)
{
	const struct config_binding *first = binding_named(k, action);
	struct config_binding b = { .line = line };

	if (first != NULL) {
		util_set_cause(why, "%s is set twice in [keys] (first on line %d)", action, first->line);
		return -1;
	}
	if (parse_list(action, value, &b, why) != 0)
		return -1;
	b.action = xstrdup(action);
	k->bindings = xreallocarray(k->bindings, k->n + 1, sizeof(*k->bindings));
	k->bindings[k->n++] = b;
	return 0;
}

void config_keys_free(struct config_keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->bindings[i].action);
	free(k->bindings);
	free(k->path);
	memset(k, 0, sizeof(*k));
}
