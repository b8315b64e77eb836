#!/bin/sh
# Shell completion as a person gets it: bash, zsh and fish run in tmux with
# completions/ loaded, a command line is typed, Tab pressed, and the screen
# read.  Verbs, options, and hosts / containers / services from the
# configuration given with -c.  A shell that is not installed is skipped
# (CI installs all three).
. tests/e2e/e2e-lib
conf=$PWD/examples/kitestacks.conf
lab=$PWD/examples/kitestacks-lab.conf
comp=$PWD/completions
home=$E2E_TMP/home
mkdir -p "$home"
# a configuration with clusters (the completions read the file's sections)
kconf=$E2E_TMP/k.conf
printf '[host neko]\nssh = neko\n\n[cluster axiomlayer]\nvia = neko\n\n[cluster homelab]\nvia = neko\n' >"$kconf"

# type SESSION TEXT: the text, then Tab (twice for bash's list).
type_tab() { tm send-keys -t "$1" -l "$2"; tm send-keys -t "$1" Tab; [ "${3:-}" = 2 ] && tm send-keys -t "$1" Tab; }
clear_line() { tm send-keys -t "$1" C-u C-k; tm send-keys -t "$1" C-l; }

if command -v bash >/dev/null; then
	printf 'PS1="$ "\n. %s/kitetop.bash\n' "$comp" >"$home/.bashrc"
	e2e_start cb 150 30 "env HOME=$home TERM=xterm bash --rcfile $home/.bashrc -i"
	check "bash: prompt" wait_for cb '$' 5
	type_tab cb "kitetop " 2
	check "bash: the verbs" wait_re cb 'status +check +logs|check.*status' 5
	check "bash: init among them" wait_for cb "init" 2
	clear_line cb
	type_tab cb "kitetop -c $lab restart " 2
	check "bash: hosts of the configuration" wait_re cb 'kscloud1 +monk' 5
	clear_line cb
	type_tab cb "kitetop -c $conf stop monk kite-o"
	check "bash: a container completed" wait_for cb "stop monk kite-openwebui" 5
	clear_line cb
	type_tab cb "kitetop status --ex"
	check "bash: a verb's option" wait_for cb "status --exit-code" 5
	clear_line cb
	type_tab cb "kitetop -c $kconf drain-node " 2
	check "bash: clusters of the configuration" wait_re cb 'axiomlayer +homelab' 5
	clear_line cb
	type_tab cb "kitetop rollout-restart axiomlayer st"
	check "bash: a workload kind" wait_for cb "rollout-restart axiomlayer statefulset/" 5
else
	echo "SKIP: bash not installed"
fi

if command -v zsh >/dev/null; then
	mkdir -p "$home/z"
	printf 'PS1="zsh> "\nfpath=(%s $fpath)\nautoload -U compinit && compinit -u -d %s/z/.zcompdump\n' \
		"$comp" "$home" >"$home/z/.zshrc"
	e2e_start cz 150 30 "env HOME=$home ZDOTDIR=$home/z TERM=xterm zsh -i"
	check "zsh: prompt" wait_for cz 'zsh>' 5
	type_tab cz "kitetop "
	check "zsh: the verbs, described" wait_re cz 'flip +-- move traffic' 5
	clear_line cz
	type_tab cz "kitetop -c $lab drain "
	check "zsh: hosts of the configuration" wait_re cz 'kscloud1 +monk' 5
	clear_line cz
	type_tab cz "kitetop -c $conf logs monk grafa"
	check "zsh: a container completed" wait_for cz "logs monk grafana" 5
	clear_line cz
	type_tab cz "kitetop --the"
	check "zsh: an option completed" wait_for cz "kitetop --theme" 5
	clear_line cz
	type_tab cz "kitetop -c $kconf cordon "
	check "zsh: clusters of the configuration" wait_re cz 'axiomlayer +homelab' 5
else
	echo "SKIP: zsh not installed"
fi

if command -v fish >/dev/null; then
	# fish_has LINE REGEX: fish's completions of LINE (as Tab would list
	# them: "complete -C") include a line matching REGEX.
	fish_has() {
		HOME=$home fish --no-config -c "source $comp/kitetop.fish; complete -C '$1'" | grep -qE -- "$2"
	}
	check "fish: verbs with descriptions" fish_has "kitetop fl" '^flip	move traffic|^flip	tunnel traffic'
	check "fish: hosts of the configuration" fish_has "kitetop -c $lab flip monk " '^kscloud1$'
	check "fish: containers of the configuration" fish_has "kitetop -c $conf restart monk " '^kite-openwebui$'
	check "fish: services for logs" fish_has "kitetop -c $conf logs " '^openwebui$'
	check "fish: a verb's option" fish_has "kitetop status --" '^--exit-code'
	check "fish: cluster verbs described" fish_has "kitetop drain-" '^drain-node	a Kubernetes node'
	check "fish: clusters of the configuration" fish_has "kitetop -c $kconf sync " '^homelab$'
	check "fish: a cluster verb's option" fish_has "kitetop drain-node axiomlayer panther --ti" '^--timeout'
else
	echo "SKIP: fish not installed"
fi
e2e_finish
