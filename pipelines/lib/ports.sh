# gst-livepeer
# Copyright (C) 2026 gst-livepeer contributors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Choosing local ports for services (sourced, not run; needs bash and
# Linux's /proc/net).

# True when any TCP or UDP socket on this machine has PORT as its local
# port, in any state. A port that only answers connections is not enough to
# check: a client's ephemeral port (an outgoing connection of another
# program) makes a later bind() fail as well.
lp_port_in_use() {
  local hex
  hex=$(printf '%04X' "$1")
  grep -qis "^ *[0-9]*: [0-9A-F]*:$hex " /proc/net/tcp /proc/net/tcp6 \
    /proc/net/udp /proc/net/udp6 2>/dev/null
}

# Sets the variable named VAR to a port that nothing uses, chosen at random
# below the kernel's ephemeral range (so no outgoing connection can take it
# between the choice and the bind). A port this shell has handed out before
# is not chosen again. (A variable, not output: $(...) would run in a
# subshell and forget what it handed out.)
lp_take_port() {   # VAR
  local low=32768 high p
  read -r low high </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  [ "$low" -gt 12000 ] || low=32768   # an odd range: stay in 10000-32767
  while :; do
    p=$((10000 + RANDOM % (low - 10000)))
    case " ${lp_ports_taken:-} " in *" $p "*) continue ;; esac
    lp_port_in_use "$p" && continue
    lp_ports_taken="${lp_ports_taken:-} $p"
    printf -v "$1" '%s' "$p"
    return
  done
}
