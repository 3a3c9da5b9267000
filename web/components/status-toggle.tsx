/** A row's pause / resume button: posts the row's id and the status it moves to; labelled with the row's name for screen readers. */
export function StatusToggle({ action, idField, id, active, name, labels }: { action: (form: FormData) => Promise<void>; idField: string; id: string; active: boolean; name: string; labels: { pause: string; resume: string } }) {
  const label = active ? labels.pause : labels.resume;
  return (
    <form action={action} className="form inline">
      <input type="hidden" name={idField} value={id} />
      <input type="hidden" name="status" value={active ? 'paused' : 'active'} />
      <button type="submit" aria-label={`${label}: ${name}`}>
        {label}
      </button>
    </form>
  );
}
