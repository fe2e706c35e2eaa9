package luastd

import _ "nsh/plugins/all" // socket, fs, hex... as the nsh binary has them
