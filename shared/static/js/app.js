// Marks the page as having JavaScript, starts the GOV.UK Frontend components, and adds the
// product's own behaviour: "Go back" links and the session timeout warning.
// Kept in a file, not inline, so the Content-Security-Policy can forbid inline script.
import { initAll } from '/static/govuk/govuk-frontend.min.js'
import './work-counts.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// -- "Go back to the previous page" (error pages): shown only when there is a page to go back to --
for (const item of document.querySelectorAll('[data-lscb-back]')) {
  if (window.history.length > 1) {
    item.hidden = false
    item.querySelector('a').addEventListener('click', (event) => {
      event.preventDefault()
      window.history.back()
    })
  }
}

// -- The session timeout warning (the GOV.UK and HMRC timeout warning pattern) ------------------
// Two minutes before the session ends (half-way through a session shorter than four minutes) a
// modal dialog says when the user will be signed out, with a countdown, "Stay signed in" (which
// calls the keep-alive endpoint) and "Sign out". If the time runs out on a page whose form can be
// saved (a button name="action" value="save"), the form is saved first, then the user is signed out.

const WARN_BEFORE = 120 // seconds
const timing = document.body.dataset.sessionExpiresIn

function csrfToken () {
  const meta = document.querySelector('meta[name="lscb-csrf-token"]')
  return meta ? meta.content : ''
}

function inWords (seconds) {
  const minutes = Math.floor(seconds / 60)
  const rest = seconds % 60
  const parts = []
  if (minutes > 0) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`)
  if (rest > 0 || minutes === 0) parts.push(`${rest} second${rest === 1 ? '' : 's'}`)
  return parts.join(' ')
}

function saveForm () {
  const button = document.querySelector('form button[name="action"][value="save"]')
  return button ? button.form : null
}

function buildDialog (canSave) {
  const dialog = document.createElement('dialog')
  dialog.className = 'lscb-timeout-dialog'
  dialog.id = 'lscb-timeout-dialog'
  dialog.setAttribute('aria-labelledby', 'lscb-timeout-heading')
  dialog.setAttribute('aria-describedby', 'lscb-timeout-message')
  dialog.tabIndex = -1
  dialog.innerHTML = `
    <h2 class="govuk-heading-m" id="lscb-timeout-heading">You are about to be signed out</h2>
    <p class="govuk-body" id="lscb-timeout-message">You will be signed out in
      <strong class="lscb-timeout-dialog__countdown"></strong>
      because you have not used the service for a while.</p>
    <p class="govuk-body lscb-timeout-dialog__save" hidden>Your answers on this page will be saved before you are signed out.</p>
    <p class="govuk-visually-hidden lscb-timeout-dialog__live" aria-live="assertive" aria-atomic="true"></p>
    <div class="govuk-button-group">
      <button type="button" class="govuk-button lscb-timeout-dialog__stay" data-module="govuk-button">Stay signed in</button>
      <button type="button" class="govuk-button govuk-button--secondary lscb-timeout-dialog__sign-out" data-module="govuk-button">Sign out</button>
    </div>`
  dialog.querySelector('.lscb-timeout-dialog__save').hidden = !canSave
  document.body.append(dialog)
  return dialog
}

class TimeoutWarning {
  constructor (body, secondsLeft) {
    this.keepAliveUrl = body.dataset.keepAliveUrl
    this.signOutUrl = body.dataset.signOutUrl
    this.form = saveForm()
    this.dialog = null
    this.timer = null
    this.ticker = null
    this.finished = false
    this.schedule(secondsLeft)
  }

  schedule (secondsLeft) {
    // Act a little before the server's end, so that a save still reaches a live session.
    const margin = Math.min(5, secondsLeft / 5)
    this.endsAt = Date.now() + (secondsLeft - margin) * 1000
    const warnAt = Math.max(0, secondsLeft - margin - Math.min(WARN_BEFORE, secondsLeft / 2))
    window.clearTimeout(this.timer)
    this.timer = window.setTimeout(() => this.warn(), warnAt * 1000)
  }

  secondsLeft () {
    return Math.max(0, Math.round((this.endsAt - Date.now()) / 1000))
  }

  warn () {
    if (!this.dialog) {
      this.dialog = buildDialog(Boolean(this.form))
      this.dialog.querySelector('.lscb-timeout-dialog__stay').addEventListener('click', () => this.stay())
      this.dialog.querySelector('.lscb-timeout-dialog__sign-out').addEventListener('click', () => this.signOut())
      // Escape closes a modal dialog: here it means "Stay signed in".
      this.dialog.addEventListener('cancel', (event) => {
        event.preventDefault()
        this.stay()
      })
    }
    this.lastAnnounced = null
    this.tick()
    this.dialog.showModal()
    this.dialog.focus()
    window.clearInterval(this.ticker)
    this.ticker = window.setInterval(() => this.tick(), 1000)
  }

  tick () {
    const left = this.secondsLeft()
    this.dialog.querySelector('.lscb-timeout-dialog__countdown').textContent = inWords(left)
    // Screen readers hear the time when the warning opens, every 30 seconds after, and once more
    // 10 seconds before the end: told in time without being talked over every second.
    const due = left % 30 === 0 || left === 10
    const announce = this.lastAnnounced === null || (due && left !== this.lastAnnounced)
    if (announce) {
      this.lastAnnounced = left
      this.dialog.querySelector('.lscb-timeout-dialog__live').textContent =
        `You will be signed out in ${inWords(left)}.`
    }
    if (left <= 0) this.timeUp()
  }

  close () {
    window.clearInterval(this.ticker)
    if (this.dialog && this.dialog.open) this.dialog.close()
  }

  async post (url, body) {
    return window.fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRFToken': csrfToken(), Accept: 'application/json' },
      body
    })
  }

  async stay () {
    this.close()
    let response = null
    try {
      response = await this.post(this.keepAliveUrl)
    } catch (error) {
      response = null // the service could not be reached
    }
    if (response && response.ok) {
      const answer = await response.json()
      this.schedule(answer.expires_in)
    } else if (response && (response.status === 401 || response.status === 403)) {
      this.finished = true // the session has already ended
      this.signedOutPage()
    } else {
      this.warn() // not extended: the countdown goes on
    }
  }

  async signOut () {
    if (this.finished) return
    this.finished = true
    this.close()
    try {
      await this.post(this.signOutUrl)
    } finally {
      window.location.assign('/sign-in')
    }
  }

  async timeUp () {
    if (this.finished) return
    this.finished = true
    window.clearInterval(this.ticker)
    if (this.form) {
      const fields = new URLSearchParams(new FormData(this.form))
      fields.set('action', 'save')
      try {
        // The form's own attribute: `form.action` would be its buttons named "action".
        const target = new URL(this.form.getAttribute('action') || '', window.location.href)
        await window.fetch(target, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { Accept: 'text/html' },
          body: fields
        })
      } catch (error) {
        // Nothing more can be done for the answers: sign out all the same.
      }
    }
    try {
      await this.post(this.signOutUrl)
    } finally {
      this.signedOutPage()
    }
  }

  signedOutPage () {
    window.location.assign('/sign-in?timeout=idle')
  }
}

if (timing !== undefined && typeof HTMLDialogElement === 'function') {
  window.lscbTimeoutWarning = new TimeoutWarning(document.body, Number(timing))
}
