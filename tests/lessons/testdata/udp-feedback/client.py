# Seed 003 (003_a5ec4fc2432cb0f4.txt): the UDP case's client, from the steps the document lists
# (create the socket, send content to the server, receive its feedback). The document breaks off
# before the client's code; the text sent is the first input line (default "I love jingjing").
# Host and port come from argv (python3 client.py [HOST [PORT]], default 127.0.0.1:7852).
import socket
import sys

def Clientfunc():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        text = input()
    except EOFError:
        text = "I love jingjing"
    addr = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
            int(sys.argv[2]) if len(sys.argv) > 2 else 7852)
    sock.sendto(text.encode(), addr)
    data, addr = sock.recvfrom(200)
    print(data.decode())

if __name__ == '__main__':
    Clientfunc()
