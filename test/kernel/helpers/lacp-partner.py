# A fake 802.3ad partner on one interface: a raw packet socket that answers the bond's LACPDUs
# with its own, echoing the bond's actor information as its partner information (so the bond sees
# a matched partner), with the actor state it is told. It lets a test put the partner in states two
# kernel bonds never hold for long (in sync but not collecting) and see what the bond does, on the
# wire: every change of the actor state in the bond's LACPDUs is printed as "bond-state N".
# Usage: lacp-partner.py IFNAME; stdin lines "state N" set the state sent; EOF ends it.
import os, select, socket, struct, sys, time

SLOW_PROTOCOLS = 0x8809
LACP_GROUP = bytes.fromhex("0180c2000002")
SYSTEM = bytes.fromhex("02000000aa01")
KEY, PORT = 7, 1
# Actor TLV fields after type and length: system priority, system, key, port priority, port, state.
INFO = struct.Struct("!H6sHHHB3x")

ifname = sys.argv[1]
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(SLOW_PROTOCOLS))
sock.bind((ifname, SLOW_PROTOCOLS))
mac = sock.getsockname()[4]
state = 0x07  # activity, short timeout, aggregation: not in sync until told
bond_actor = INFO.pack(0, bytes(6), 0, 0, 0, 0)
seen_state = None

def lacpdu():
    actor = INFO.pack(0xFFFF, SYSTEM, KEY, 0xFF, PORT, state)
    tlvs = b"\x01\x14" + actor + b"\x02\x14" + bond_actor + b"\x03\x10" + bytes(14) + bytes(52)
    return LACP_GROUP + mac + struct.pack("!H", SLOW_PROTOCOLS) + b"\x01\x01" + tlvs

next_send = 0.0
while True:
    now = time.monotonic()
    if now >= next_send:
        sock.send(lacpdu())
        next_send = now + 0.3
    ready, _, _ = select.select([sock, sys.stdin], [], [], max(0.0, next_send - time.monotonic()))
    if sys.stdin in ready:
        line = sys.stdin.readline()
        if not line:
            break
        state = int(line.split()[1])
        next_send = 0.0
    if sock in ready:
        frame = sock.recv(2048)
        # Not our own (a packet socket sees outgoing frames too); subtype 1 (LACP), then the bond's
        # actor TLV (type 1, length 20).
        if len(frame) >= 36 and frame[6:12] != mac and frame[12:14] == b"\x88\x09" and frame[14] == 1 and frame[16:18] == b"\x01\x14":
            bond_actor = frame[18:36]
            bond_state = INFO.unpack(bond_actor)[5]
            if bond_state != seen_state:
                seen_state = bond_state
                print(f"bond-state {bond_state}", flush=True)
sock.close()
