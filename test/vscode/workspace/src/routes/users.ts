import { Router } from 'express';

export const usersRouter = Router();

usersRouter.get('/:id', async (req, res) => {
  const user = await findUser(req.params.id);
  res.json(user);
});

usersRouter.post('/', async (req, res) => {
  try {
    await saveUser(req.body);
  } catch {}
  res.status(201).end();
});

async function findUser(id: string) {
  return { id };
}

async function saveUser(_body: unknown) {
  return;
}
