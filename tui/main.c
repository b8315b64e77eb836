/* kitetop — entry point: the command line. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv);

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("kitetop %s\n", KITETOP_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: kitetop [-c FILE] [--theme NAME] [--read-only] [--refresh SECONDS]\n");
	return 2;
}
