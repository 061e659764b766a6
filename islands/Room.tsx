/** The session room (filled in by the next commit). */
export interface RoomProps {
  token: string;
}

export default function Room({ token }: RoomProps) {
  return <p data-token={token}>Room</p>;
}
