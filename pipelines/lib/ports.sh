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
# subshell and forget what it handed out. The locals carry a prefix so
# that they cannot hide the caller's VAR.)
lp_take_port() {   # VAR
  local _lp_low=32768 _lp_high _lp_port
  read -r _lp_low _lp_high </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  [ "$_lp_low" -gt 12000 ] || _lp_low=32768   # an odd range: stay in 10000-32767
  while :; do
    _lp_port=$((10000 + RANDOM % (_lp_low - 10000)))
    case " ${lp_ports_taken:-} " in *" $_lp_port "*) continue ;; esac
    lp_port_in_use "$_lp_port" && continue
    lp_ports_taken="${lp_ports_taken:-} $_lp_port"
    printf -v "$1" '%s' "$_lp_port"
    return
  done
}
