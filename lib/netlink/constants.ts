// Kernel constants the TypeScript side reads or sends (include/uapi/linux/if.h, socket.h,
// rtnetlink.h, if_addr.h); the bond attribute numbers are in the option table.
export const IFF_UP = 0x1;
export const IFF_PROMISC = 0x100;
export const IFF_ALLMULTI = 0x200;
export const IFF_LOWER_UP = 0x10000;

export const AF_INET = 2;
export const AF_INET6 = 10;

export const RT_TABLE_MAIN = 254;
export const RT_SCOPE_LINK = 253;
export const RTN_UNICAST = 1;
export const IFA_F_PERMANENT = 0x80;
