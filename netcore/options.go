package netcore

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// Option names a socket option: the getsockopt/setsockopt level and name.
type Option struct {
	Level int
	Name  int
}

// Options maps option names to (level, name): the C names ("SO_REUSEADDR")
// and LuaSocket's names ("reuseaddr", "tcp-nodelay", ...).
var Options = map[string]Option{
	"SO_REUSEADDR":      {unix.SOL_SOCKET, unix.SO_REUSEADDR},
	"SO_REUSEPORT":      {unix.SOL_SOCKET, unix.SO_REUSEPORT},
	"SO_BROADCAST":      {unix.SOL_SOCKET, unix.SO_BROADCAST},
	"SO_KEEPALIVE":      {unix.SOL_SOCKET, unix.SO_KEEPALIVE},
	"SO_RCVBUF":         {unix.SOL_SOCKET, unix.SO_RCVBUF},
	"SO_SNDBUF":         {unix.SOL_SOCKET, unix.SO_SNDBUF},
	"SO_LINGER":         {unix.SOL_SOCKET, unix.SO_LINGER},
	"SO_ERROR":          {unix.SOL_SOCKET, unix.SO_ERROR},
	"SO_TYPE":           {unix.SOL_SOCKET, unix.SO_TYPE},
	"SO_ACCEPTCONN":     {unix.SOL_SOCKET, unix.SO_ACCEPTCONN},
	"SO_DONTROUTE":      {unix.SOL_SOCKET, unix.SO_DONTROUTE},
	"SO_OOBINLINE":      {unix.SOL_SOCKET, unix.SO_OOBINLINE},
	"SO_RCVLOWAT":       {unix.SOL_SOCKET, unix.SO_RCVLOWAT},
	"SO_SNDLOWAT":       {unix.SOL_SOCKET, unix.SO_SNDLOWAT},
	"SO_PRIORITY":       {unix.SOL_SOCKET, unix.SO_PRIORITY},
	"SO_DOMAIN":         {unix.SOL_SOCKET, unix.SO_DOMAIN},
	"SO_PROTOCOL":       {unix.SOL_SOCKET, unix.SO_PROTOCOL},
	"TCP_NODELAY":       {unix.IPPROTO_TCP, unix.TCP_NODELAY},
	"TCP_MAXSEG":        {unix.IPPROTO_TCP, unix.TCP_MAXSEG},
	"TCP_KEEPIDLE":      {unix.IPPROTO_TCP, unix.TCP_KEEPIDLE},
	"TCP_KEEPINTVL":     {unix.IPPROTO_TCP, unix.TCP_KEEPINTVL},
	"TCP_KEEPCNT":       {unix.IPPROTO_TCP, unix.TCP_KEEPCNT},
	"TCP_QUICKACK":      {unix.IPPROTO_TCP, unix.TCP_QUICKACK},
	"TCP_CORK":          {unix.IPPROTO_TCP, unix.TCP_CORK},
	"IP_TTL":            {unix.IPPROTO_IP, unix.IP_TTL},
	"IP_TOS":            {unix.IPPROTO_IP, unix.IP_TOS},
	"IP_HDRINCL":        {unix.IPPROTO_IP, unix.IP_HDRINCL},
	"IPV6_V6ONLY":       {unix.IPPROTO_IPV6, unix.IPV6_V6ONLY},
	"IPV6_UNICAST_HOPS": {unix.IPPROTO_IPV6, unix.IPV6_UNICAST_HOPS},

	"reuseaddr":   {unix.SOL_SOCKET, unix.SO_REUSEADDR},
	"reuseport":   {unix.SOL_SOCKET, unix.SO_REUSEPORT},
	"broadcast":   {unix.SOL_SOCKET, unix.SO_BROADCAST},
	"keepalive":   {unix.SOL_SOCKET, unix.SO_KEEPALIVE},
	"linger":      {unix.SOL_SOCKET, unix.SO_LINGER},
	"rcvbuf":      {unix.SOL_SOCKET, unix.SO_RCVBUF},
	"sndbuf":      {unix.SOL_SOCKET, unix.SO_SNDBUF},
	"dontroute":   {unix.SOL_SOCKET, unix.SO_DONTROUTE},
	"tcp-nodelay": {unix.IPPROTO_TCP, unix.TCP_NODELAY},
	"ipv6-v6only": {unix.IPPROTO_IPV6, unix.IPV6_V6ONLY},
	"ip-ttl":      {unix.IPPROTO_IP, unix.IP_TTL},

	// LuaSocket 3's other names.
	"tcp-keepidle":         {unix.IPPROTO_TCP, unix.TCP_KEEPIDLE},
	"tcp-keepcnt":          {unix.IPPROTO_TCP, unix.TCP_KEEPCNT},
	"tcp-keepintvl":        {unix.IPPROTO_TCP, unix.TCP_KEEPINTVL},
	"tcp-quickack":         {unix.IPPROTO_TCP, unix.TCP_QUICKACK},
	"tcp-defer-accept":     {unix.IPPROTO_TCP, unix.TCP_DEFER_ACCEPT},
	"tcp-fastopen":         {unix.IPPROTO_TCP, unix.TCP_FASTOPEN},
	"tcp-fastopen-connect": {unix.IPPROTO_TCP, unix.TCP_FASTOPEN_CONNECT},
	"recv-buffer-size":     {unix.SOL_SOCKET, unix.SO_RCVBUF},
	"send-buffer-size":     {unix.SOL_SOCKET, unix.SO_SNDBUF},
	"error":                {unix.SOL_SOCKET, unix.SO_ERROR},
	"ip-multicast-loop":    {unix.IPPROTO_IP, unix.IP_MULTICAST_LOOP},
	"ip-multicast-ttl":     {unix.IPPROTO_IP, unix.IP_MULTICAST_TTL},
	"ip-multicast-if":      {unix.IPPROTO_IP, unix.IP_MULTICAST_IF},
	"ip-add-membership":    {unix.IPPROTO_IP, unix.IP_ADD_MEMBERSHIP},
	"ip-drop-membership":   {unix.IPPROTO_IP, unix.IP_DROP_MEMBERSHIP},
	"ipv6-unicast-hops":    {unix.IPPROTO_IPV6, unix.IPV6_UNICAST_HOPS},
	"ipv6-multicast-hops":  {unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_HOPS},
	"ipv6-multicast-loop":  {unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_LOOP},
	"ipv6-add-membership":  {unix.IPPROTO_IPV6, unix.IPV6_JOIN_GROUP},
	"ipv6-drop-membership": {unix.IPPROTO_IPV6, unix.IPV6_LEAVE_GROUP},
}

// Constants maps every constant the Lua layer exports to its value.
var Constants = map[string]int{
	"AF_UNSPEC": unix.AF_UNSPEC, "AF_INET": unix.AF_INET, "AF_INET6": unix.AF_INET6,
	"AF_UNIX": unix.AF_UNIX, "AF_PACKET": unix.AF_PACKET,

	"SOCK_STREAM": unix.SOCK_STREAM, "SOCK_DGRAM": unix.SOCK_DGRAM, "SOCK_RAW": unix.SOCK_RAW,
	"SOCK_SEQPACKET": unix.SOCK_SEQPACKET, "SOCK_NONBLOCK": unix.SOCK_NONBLOCK,
	"SOCK_CLOEXEC": unix.SOCK_CLOEXEC,

	"SOL_SOCKET": unix.SOL_SOCKET, "SOMAXCONN": unix.SOMAXCONN,
	"SO_REUSEADDR": unix.SO_REUSEADDR, "SO_REUSEPORT": unix.SO_REUSEPORT,
	"SO_BROADCAST": unix.SO_BROADCAST, "SO_KEEPALIVE": unix.SO_KEEPALIVE,
	"SO_RCVBUF": unix.SO_RCVBUF, "SO_SNDBUF": unix.SO_SNDBUF, "SO_LINGER": unix.SO_LINGER,
	"SO_ERROR": unix.SO_ERROR, "SO_TYPE": unix.SO_TYPE, "SO_ACCEPTCONN": unix.SO_ACCEPTCONN,
	"SO_DONTROUTE": unix.SO_DONTROUTE, "SO_OOBINLINE": unix.SO_OOBINLINE,
	"SO_RCVLOWAT": unix.SO_RCVLOWAT, "SO_SNDLOWAT": unix.SO_SNDLOWAT,
	"SO_RCVTIMEO": unix.SO_RCVTIMEO, "SO_SNDTIMEO": unix.SO_SNDTIMEO,
	"SO_PRIORITY": unix.SO_PRIORITY, "SO_DOMAIN": unix.SO_DOMAIN, "SO_PROTOCOL": unix.SO_PROTOCOL,

	"IPPROTO_IP": unix.IPPROTO_IP, "IPPROTO_TCP": unix.IPPROTO_TCP, "IPPROTO_UDP": unix.IPPROTO_UDP,
	"IPPROTO_ICMP": unix.IPPROTO_ICMP, "IPPROTO_ICMPV6": unix.IPPROTO_ICMPV6,
	"IPPROTO_IPV6": unix.IPPROTO_IPV6, "IPPROTO_RAW": unix.IPPROTO_RAW,

	"TCP_NODELAY": unix.TCP_NODELAY, "TCP_MAXSEG": unix.TCP_MAXSEG,
	"TCP_KEEPIDLE": unix.TCP_KEEPIDLE, "TCP_KEEPINTVL": unix.TCP_KEEPINTVL,
	"TCP_KEEPCNT": unix.TCP_KEEPCNT, "TCP_QUICKACK": unix.TCP_QUICKACK, "TCP_CORK": unix.TCP_CORK,

	"IP_TTL": unix.IP_TTL, "IP_TOS": unix.IP_TOS, "IP_HDRINCL": unix.IP_HDRINCL,
	"IPV6_V6ONLY": unix.IPV6_V6ONLY, "IPV6_UNICAST_HOPS": unix.IPV6_UNICAST_HOPS,

	"SHUT_RD": unix.SHUT_RD, "SHUT_WR": unix.SHUT_WR, "SHUT_RDWR": unix.SHUT_RDWR,

	"MSG_PEEK": unix.MSG_PEEK, "MSG_OOB": unix.MSG_OOB, "MSG_WAITALL": unix.MSG_WAITALL,
	"MSG_DONTWAIT": unix.MSG_DONTWAIT, "MSG_TRUNC": unix.MSG_TRUNC,
	"MSG_NOSIGNAL": unix.MSG_NOSIGNAL, "MSG_DONTROUTE": unix.MSG_DONTROUTE,
}

// SetOption sets an integer socket option on the descriptor at once
// (setsockopt). For SO_LINGER, value is the linger time in seconds and a
// negative value turns lingering off (see SetLinger).
func (s *Socket) SetOption(level, name, value int) error {
	if level == unix.SOL_SOCKET && name == unix.SO_LINGER {
		return s.SetLinger(value >= 0, max(value, 0))
	}
	err := s.control(func(fd int) error {
		return unix.SetsockoptInt(fd, level, name, value)
	})
	return opErr("setsockopt", OptionName(level, name), err)
}

// OptionName names an option for error stories: its C name
// ("SO_REUSEADDR"), or "level L option N" for one nsh has no name for.
func OptionName(level, name int) string {
	best := ""
	for k, o := range Options {
		// the C names are upper case; take the first in order for stable text
		if o.Level == level && o.Name == name && k[0] >= 'A' && k[0] <= 'Z' && (best == "" || k < best) {
			best = k
		}
	}
	if best != "" {
		return best
	}
	return "level " + strconv.Itoa(level) + " option " + strconv.Itoa(name)
}

// GetOption reads an integer socket option from the kernel (getsockopt).
// SO_RCVBUF and SO_SNDBUF show the kernel's doubled value. For SO_LINGER it
// returns the linger seconds, or -1 when lingering is off.
func (s *Socket) GetOption(level, name int) (int, error) {
	if level == unix.SOL_SOCKET && name == unix.SO_LINGER {
		on, sec, err := s.GetLinger()
		if !on {
			sec = -1
		}
		return sec, err
	}
	var v int
	err := s.control(func(fd int) error {
		var err error
		v, err = unix.GetsockoptInt(fd, level, name)
		return err
	})
	return v, opErr("getsockopt", OptionName(level, name), err)
}

// SetLinger sets SO_LINGER. With on and sec == 0, Close resets the
// connection (the peer sees "connection reset by peer").
func (s *Socket) SetLinger(on bool, sec int) error {
	l := unix.Linger{Linger: int32(sec)}
	if on {
		l.Onoff = 1
	}
	err := s.control(func(fd int) error {
		return unix.SetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER, &l)
	})
	return opErr("setsockopt", "SO_LINGER", err)
}

// GetLinger reads SO_LINGER from the kernel.
func (s *Socket) GetLinger() (on bool, sec int, err error) {
	err = s.control(func(fd int) error {
		l, err := unix.GetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER)
		if err == nil {
			on, sec = l.Onoff != 0, int(l.Linger)
		}
		return err
	})
	return on, sec, opErr("getsockopt", "SO_LINGER", err)
}
