# Seed 003 (003_a5ec4fc2432cb0f4.txt): the UDP case "Serverfunc". The document breaks off after
# step 2 ("bind ip and port"); the rest follows the steps it lists: receive, then send feedback
# (port 7852, recvfrom(500) and the feedback text are nsh's choices, also used by the nsh lesson).
# Host and port come from argv (python3 server.py [HOST [PORT]], port 0 = any free port); the nsh
# harness's ready line "listening on HOST:PORT" is printed after bind. Like the function it
# completes, it handles one datagram and returns.
import socket
import sys

# 创建一个服务器端函数
def Serverfunc():

    # 第一步:建立socket
    # socket.AF_INET:使用ipv4协议族
    # socket.SOCK_DGRAM:使用UDP通信
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    # 第二步:绑定ip和port(端口)
    addr = (sys.argv[1] if len(sys.argv) > 1 else '127.0.0.1',
            int(sys.argv[2]) if len(sys.argv) > 2 else 7852)
    sock.bind(addr)
    print("listening on %s:%d" % sock.getsockname()[:2], flush=True)

    # 第三步:接受对方发送内容
    data, addr = sock.recvfrom(500)
    text = data.decode()
    print(text)

    # 第四步:给对方发送反馈
    rsp = "Ich hab keine Hunge"
    sock.sendto(rsp.encode(), addr)

if __name__ == '__main__':
    Serverfunc()
