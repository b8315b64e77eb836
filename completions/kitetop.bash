# bash completion for kitetop -*- shell-script -*-
# Verbs, options, and the hosts, containers and services of the configuration
# in use (-c FILE, else $KITETOP_CONFIG, else $XDG_CONFIG_HOME/kitetop/kitetop.conf).
# Installed as /usr/share/bash-completion/completions/kitetop.

# _kitetop_conf WORDS...: the configuration file the command line names.
_kitetop_conf()
{
    local i
    for ((i = 1; i < $#; i++)); do
        case ${!i} in
        -c|--config) i=$((i + 1)); printf '%s\n' "${!i/#\~/$HOME}"; return ;;
        --config=*) local v=${!i}; v=${v#--config=}; printf '%s\n' "${v/#\~/$HOME}"; return ;;
        esac
    done
    if [[ -n ${KITETOP_CONFIG:-} ]]; then
        printf '%s\n' "$KITETOP_CONFIG"
    else
        printf '%s\n' "${XDG_CONFIG_HOME:-$HOME/.config}/kitetop/kitetop.conf"
    fi
}

# _kitetop_names FILE hosts|services|containers
_kitetop_names()
{
    [[ -r $1 ]] || return
    awk -v want="$2" '
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
        }' "$1" 2>/dev/null | sort -u
}

_kitetop()
{
    local cur prev words cword
    _init_completion 2>/dev/null || {
        cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
    }
    local verbs="status check logs events record replay restart stop start exec shell drain undrain flip init"
    local conf verb="" i nargs=0
    conf=$(_kitetop_conf "${words[@]:0:cword}" "")

    case $prev in
    -c|--config|--log|record|replay) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
    --theme) COMPREPLY=($(compgen -W "default light cyberpunk mono high-contrast" -- "$cur")); return ;;
    --refresh|--tail|--for) return ;;
    --since) COMPREPLY=($(compgen -W "10m 1h 2d all" -- "$cur")); return ;;
    --host) COMPREPLY=($(compgen -W "$(_kitetop_names "$conf" hosts)" -- "$cur")); return ;;
    esac
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        -c|--config|--theme|--refresh|--tail|--for|--since|--host|--log) i=$((i + 1)) ;;
        -*) ;;
        *) if [[ -z $verb ]]; then verb=${words[i]}; else nargs=$((nargs + 1)); fi ;;
        esac
    done
    if [[ $cur == -* ]]; then
        local opts="-c --config --theme --read-only --refresh --log --version --help"
        case $verb in
        status) opts="--json --all --exit-code" ;;
        logs) opts="--tail --follow -f --since --all-hosts" ;;
        events) opts="--since --host --json" ;;
        record) opts="--for" ;;
        restart|stop|start) opts="--yes -y --dry-run" ;;
        drain|undrain|flip) opts="--yes -y --dry-run --force" ;;
        init) opts="--stdout" ;;
        esac
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    case $verb in
    "") COMPREPLY=($(compgen -W "$verbs" -- "$cur")) ;;
    logs|restart|stop|start|exec)
        if ((nargs == 0)); then
            local w="$(_kitetop_names "$conf" hosts)"
            [[ $verb == logs ]] && w="$w $(_kitetop_names "$conf" services)"
            COMPREPLY=($(compgen -W "$w" -- "$cur"))
        elif ((nargs == 1)); then
            COMPREPLY=($(compgen -W "$(_kitetop_names "$conf" containers)" -- "$cur"))
        fi ;;
    shell|drain|undrain) ((nargs == 0)) && COMPREPLY=($(compgen -W "$(_kitetop_names "$conf" hosts)" -- "$cur")) ;;
    flip) ((nargs < 2)) && COMPREPLY=($(compgen -W "$(_kitetop_names "$conf" hosts)" -- "$cur")) ;;
    init) COMPREPLY=($(compgen -A hostname -- "$cur")) ;;
    esac
}
complete -F _kitetop kitetop
