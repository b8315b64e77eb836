# fish completion for kitetop: verbs, options, and the hosts, containers and
# services of the configuration in use (-c FILE, else $KITETOP_CONFIG, else
# $XDG_CONFIG_HOME/kitetop/kitetop.conf).  Installed as
# /usr/share/fish/vendor_completions.d/kitetop.fish.

function __kitetop_conf
    set -l tokens (commandline -opc)
    set -l i 2
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case -c --config
                set i (math $i + 1)
                if test $i -le (count $tokens)
                    echo (string replace -r '^~' $HOME -- $tokens[$i])
                    return
                end
            case '--config=*'
                echo (string replace -r '^~' $HOME -- (string replace -- --config= '' $tokens[$i]))
                return
        end
        set i (math $i + 1)
    end
    if set -q KITETOP_CONFIG
        echo $KITETOP_CONFIG
    else if set -q XDG_CONFIG_HOME
        echo $XDG_CONFIG_HOME/kitetop/kitetop.conf
    else
        echo $HOME/.config/kitetop/kitetop.conf
    end
end

function __kitetop_names -a want
    set -l conf (__kitetop_conf)
    test -r "$conf"; or return
    awk -v want=$want '
        /^[ \t]*\[/ {
            s = $0; sub(/^[ \t]*\[[ \t]*/, "", s); sub(/[ \t]*\].*$/, "", s)
            kind = s; sub(/[ \t].*$/, "", kind)
            name = s; sub(/^[^ \t]+[ \t]*/, "", name); gsub(/^"|"$/, "", name)
            sect = kind
            if (want == "hosts" && kind == "host" && name != "") print name
            if (want == "services" && kind == "service" && name != "") print name
            next
        }
        want == "containers" && sect == "service" && /^[ \t]*container[ \t]*=/ {
            v = $0; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]*[;#].*$/, "", v); print v
        }' $conf 2>/dev/null | sort -u
end

# The verb and how many words follow it (options and their values skipped).
function __kitetop_verb_args
    set -l tokens (commandline -opc)
    set -l verb ''
    set -l n 0
    set -l skip 0
    for t in $tokens[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $t
            case -c --config --theme --refresh --tail --for --since --host --log
                set skip 1
            case '-*'
            case '*'
                if test -z "$verb"
                    set verb $t
                else
                    set n (math $n + 1)
                end
        end
    end
    echo $verb $n
end

function __kitetop_at -a verbs nargs
    set -l va (string split ' ' -- (__kitetop_verb_args))
    contains -- "$va[1]" (string split ' ' -- $verbs); and test "$va[2]" = "$nargs"
end

set -l verbs status check logs events record replay restart stop start exec shell drain undrain flip init
complete -c kitetop -f
complete -c kitetop -n "not __fish_seen_subcommand_from $verbs" -a status -d 'one snapshot of everything'
complete -c kitetop -n "not __fish_seen_subcommand_from $verbs" -a check -d 'a Nagios plugin'
complete -c kitetop -n "not __fish_seen_subcommand_from $verbs" -a logs -d 'container or service logs'
complete -c kitetop -n "not __fish_seen_subcommand_from $verbs" -a events -d 'changes and actions'
complete -c kitetop -n "not __fish_seen_subcommand_from $verbs" -a record -d 'write frames to a file'
complete -c kitetop -n "not __fish_seen_subcommand_from $verbs" -a replay -d 'replay a recording'
complete -c kitetop -n "not __fish_seen_subcommand_from $verbs" -a 'restart stop start' -d 'act on a container'
complete -c kitetop -n "not __fish_seen_subcommand_from $verbs" -a exec -d 'shell or command in a container'
complete -c kitetop -n "not __fish_seen_subcommand_from $verbs" -a shell -d 'login shell on a host'
complete -c kitetop -n "not __fish_seen_subcommand_from $verbs" -a 'drain undrain flip' -d 'tunnel traffic'
complete -c kitetop -n "not __fish_seen_subcommand_from $verbs" -a init -d 'write a first configuration'

complete -c kitetop -s c -l config -r -F -d 'configuration file'
complete -c kitetop -l theme -x -a 'default light cyberpunk mono high-contrast' -d 'colour theme'
complete -c kitetop -l read-only -d 'refuse every action'
complete -c kitetop -l refresh -x -d 'seconds between polls'
complete -c kitetop -l log -r -F -d 'record each source error'
complete -c kitetop -s V -l version -d 'print the version'
complete -c kitetop -s h -l help -d 'the help'
complete -c kitetop -n '__fish_seen_subcommand_from status events' -l json -d 'JSON'
complete -c kitetop -n '__fish_seen_subcommand_from status' -l all -d 'every pod of a cluster'
complete -c kitetop -n '__fish_seen_subcommand_from status' -l exit-code -d 'exit 1 on warn, 2 on crit'
complete -c kitetop -n '__fish_seen_subcommand_from logs' -l tail -x -d 'the last N lines'
complete -c kitetop -n '__fish_seen_subcommand_from logs' -s f -l follow -d 'then new lines'
complete -c kitetop -n '__fish_seen_subcommand_from logs events' -l since -x -a '10m 1h 2d all'
complete -c kitetop -n '__fish_seen_subcommand_from logs' -l all-hosts -d 'from every host'
complete -c kitetop -n '__fish_seen_subcommand_from events' -l host -x -a '(__kitetop_names hosts)'
complete -c kitetop -n '__fish_seen_subcommand_from record' -l for -x -d 'stop after that long'
complete -c kitetop -n '__fish_seen_subcommand_from restart stop start drain undrain flip' -s y -l yes -d 'do not ask'
complete -c kitetop -n '__fish_seen_subcommand_from restart stop start drain undrain flip' -l dry-run -d 'say, do nothing'
complete -c kitetop -n '__fish_seen_subcommand_from drain undrain flip' -l force -d 'past the interlock'
complete -c kitetop -n '__fish_seen_subcommand_from init' -l stdout -d 'print, do not write'
complete -c kitetop -n '__kitetop_at "record replay" 0' -F
complete -c kitetop -n '__kitetop_at "logs restart stop start exec shell drain undrain flip" 0' -a '(__kitetop_names hosts)'
complete -c kitetop -n '__kitetop_at logs 0' -a '(__kitetop_names services)'
complete -c kitetop -n '__kitetop_at "logs restart stop start exec" 1' -a '(__kitetop_names containers)'
complete -c kitetop -n '__kitetop_at flip 1' -a '(__kitetop_names hosts)'
complete -c kitetop -n '__kitetop_at init 0; or __kitetop_at init 1; or __kitetop_at init 2' -a '(__fish_print_hostnames)'
