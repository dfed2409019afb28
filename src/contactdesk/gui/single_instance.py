"""One window per database: a second launch hands its files to the first and exits.

Two windows writing one database would each show stale counts and race each other's
imports. So the first instance listens on a local socket named after the database file;
a later ``contactdesk FILE.csv`` (what "Open with ContactDesk" runs) sends the file there,
the first window comes to the front and opens the import wizard, and the second process
ends. A different ``--db`` is a different instance.
"""

import getpass
import hashlib
import json
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 500
MAX_MESSAGE_BYTES = 1_000_000


def channel_name(db_path: Path) -> str:
    digest = hashlib.sha256(str(Path(db_path).expanduser().resolve()).encode("utf-8", "surrogatepass")).hexdigest()
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    return f"contactdesk-{hashlib.sha256(user.encode()).hexdigest()[:8]}-{digest[:16]}"


class InstanceChannel(QObject):
    """``hand_over`` from a second launch; ``listen`` + ``received`` in the first."""

    received = Signal(dict)

    def __init__(self, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.name = channel_name(db_path)
        self._server: QLocalServer | None = None

    def hand_over(self, message: dict) -> bool:
        """Send ``message`` to a running instance; False when there is none."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(json.dumps(message).encode("utf-8") + b"\n")
        delivered = socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        return delivered

    def listen(self) -> bool:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # A socket file left by an instance that crashed: nobody answered hand_over().
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                log.warning("cannot listen for other launches: %s", server.errorString())
                return False
        server.newConnection.connect(self._accept)
        self._server = server
        return True

    def close(self) -> None:
        if self._server is not None:
            # Its connection to _accept ties it to this object: undone here, not left to the collector.
            self._server.newConnection.disconnect(self._accept)
            self._server.close()
            self._server.deleteLater()
            self._server = None

    @Slot()
    def _accept(self) -> None:
        while self._server is not None and (socket := self._server.nextPendingConnection()) is not None:
            buffer = bytearray()

            def read(socket=socket, buffer=buffer) -> None:
                buffer.extend(bytes(socket.readAll()))
                if len(buffer) > MAX_MESSAGE_BYTES:
                    socket.abort()
                    return
                if buffer.endswith(b"\n"):
                    self._deliver(bytes(buffer))
                    socket.disconnectFromServer()

            socket.readyRead.connect(read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                read()

    def _deliver(self, data: bytes) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            log.warning("ignored a malformed message from another launch")
            return
        if isinstance(message, dict):
            self.received.emit(message)
